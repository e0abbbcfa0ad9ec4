// The kiosk's background sync: pushes the outbox soon after local changes (debounced), pulls on
// an interval, backs off with jitter while the hub is away, and publishes its state for the UI.
// One cycle at a time: push everything waiting, then pull every page. Each pulled page is applied
// in one store transaction; the gallery follows the store's post-commit notifications.
import { LIMITS } from '../protocol/sync';
import { applyChanges, getCursor } from '../store/apply';
import { acknowledgePush, outboxSize, recordPushFailure, takePushBatch } from '../store/outbox';
import type { Store } from '../store/store';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { SyncError } from './errors';
import { HubTransport, type FetchLike } from './transport';

export type SyncStatus = 'stopped' | 'idle' | 'syncing' | 'offline' | 'unauthorized' | 'error';

export interface SyncState {
  status: SyncStatus;
  /** The last exchange with the hub succeeded. */
  online: boolean;
  /** End of the last cycle that pushed and pulled everything (ISO time), or null. */
  lastSyncAt: string | null;
  /** Local changes the hub has not acknowledged yet. */
  waiting: number;
  lastError: { kind: SyncError['kind']; code: string | null; message: string } | null;
  /** When the next attempt is due after a failure (ISO time), or null. */
  nextRetryAt: string | null;
}

export interface CycleReport {
  pushed: number;
  duplicates: number;
  pulled: number;
  applied: number;
  skipped: number;
  pages: number;
  error: SyncError | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SyncClientOptions {
  store: Store;
  hubUrl: string;
  token: string;
  fetch?: FetchLike;
  timers?: Timers;
  /** The device clock (default: the store's), sent so the hub can measure its skew. */
  clock?: () => Date;
  random?: () => number;
  /** Wait this long after a local change before pushing, to send a burst as one batch. */
  pushDelayMs?: number;
  pullIntervalMs?: number;
  pushBatchSize?: number;
  pullPageSize?: number;
  requestTimeoutMs?: number;
  /** See TransportOptions.compressPulls (default off). */
  compressPulls?: boolean;
  /** The hub certificate pinned at pairing (HubLink.tls). */
  pinnedCertificatePem?: string | null;
  /** HubLink.allowInsecureHttp. */
  allowInsecureHttp?: boolean;
  backoff?: BackoffOptions;
}

type Listener = (state: SyncState) => void;

export class SyncClient {
  private readonly store: Store;
  private readonly transport: HubTransport;
  private readonly timers: Timers;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly pushDelayMs: number;
  private readonly pullIntervalMs: number;
  private readonly pushBatchSize: number;
  private readonly pullPageSize: number;
  private readonly backoff: BackoffOptions;

  private state: SyncState;
  private readonly listeners = new Set<Listener>();
  private timer: unknown = null;
  private timerDueAt = Infinity;
  private failures = 0;
  private running: Promise<CycleReport> | null = null;
  private again = false;
  private started = false;
  private unsubscribeStore: (() => void) | null = null;

  constructor(options: SyncClientOptions) {
    this.store = options.store;
    this.transport = new HubTransport({
      hubUrl: options.hubUrl,
      token: options.token,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
      compressPulls: options.compressPulls ?? false,
      pinnedCertificatePem: options.pinnedCertificatePem ?? null,
      allowInsecureHttp: options.allowInsecureHttp ?? false,
    });
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? options.store.clock;
    this.random = options.random ?? Math.random;
    this.pushDelayMs = options.pushDelayMs ?? 300;
    this.pullIntervalMs = options.pullIntervalMs ?? 10_000;
    // Large batches: a live kiosk's outbox is small; after an outage fewer round trips (and
    // fewer commits on both sides) is what makes catching up fast.
    this.pushBatchSize = options.pushBatchSize ?? LIMITS.maxBatchItems;
    this.pullPageSize = options.pullPageSize ?? LIMITS.maxPullPage;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.state = {
      status: 'stopped',
      online: false,
      lastSyncAt: null,
      waiting: outboxSize(this.store),
      lastError: null,
      nextRetryAt: null,
    };
  }

  getState(): SyncState {
    return { ...this.state };
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the background loop: a first cycle now, then on local changes and on the interval. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.setState({ status: 'idle' });
    this.unsubscribeStore = this.store.onChange(() => this.onLocalChange());
    this.schedule(0);
  }

  /** Stops the loop and waits for a cycle in progress to end. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
    this.clearTimer();
    await this.running?.catch(() => undefined);
    this.setState({ status: 'stopped', nextRetryAt: null });
  }

  /** One full cycle now (after the one running, if any): push all, then pull all. */
  async syncNow(): Promise<CycleReport> {
    if (this.running) {
      this.again = true;
      await this.running.catch(() => undefined);
      if (this.running) return this.running;
    }
    this.clearTimer();
    this.running = this.cycle().finally(() => {
      this.running = null;
    });
    const report = await this.running;
    if (this.again) {
      this.again = false;
      if (this.started) this.schedule(0);
    }
    return report;
  }

  private onLocalChange(): void {
    const waiting = outboxSize(this.store);
    if (waiting !== this.state.waiting) this.setState({ waiting });
    // While the hub is away the backoff timer decides when to try; otherwise push soon.
    if (waiting > 0 && this.failures === 0 && this.state.status !== 'unauthorized') {
      this.schedule(this.pushDelayMs);
    }
  }

  /** Run a cycle in `ms` unless one is already due sooner. */
  private schedule(ms: number): void {
    if (!this.started) return;
    const due = Date.now() + ms;
    if (this.timer !== null && this.timerDueAt <= due) return;
    this.clearTimer();
    this.timerDueAt = due;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerDueAt = Infinity;
      void this.syncNow();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerDueAt = Infinity;
  }

  private async cycle(): Promise<CycleReport> {
    const report: CycleReport = {
      pushed: 0,
      duplicates: 0,
      pulled: 0,
      applied: 0,
      skipped: 0,
      pages: 0,
      error: null,
    };
    this.setState({ status: 'syncing' });
    try {
      await this.pushAll(report);
      await this.pullAll(report);
      this.failures = 0;
      this.setState({
        status: 'idle',
        online: true,
        lastSyncAt: this.clock().toISOString(),
        lastError: null,
        nextRetryAt: null,
        waiting: outboxSize(this.store),
      });
      this.schedule(outboxSize(this.store) > 0 ? this.pushDelayMs : this.pullIntervalMs);
    } catch (error) {
      const failure =
        error instanceof SyncError
          ? error
          : new SyncError('hub_error', `sync failed: ${(error as Error).message ?? String(error)}`);
      report.error = failure;
      this.onFailure(failure);
    }
    return report;
  }

  private onFailure(error: SyncError): void {
    const lastError = { kind: error.kind, code: error.code, message: error.message };
    const waiting = outboxSize(this.store);
    if (error.kind === 'unauthorized') {
      // A revoked or unknown token does not heal by itself: stop until the device is paired again.
      this.clearTimer();
      this.setState({
        status: 'unauthorized',
        online: true,
        lastError,
        waiting,
        nextRetryAt: null,
      });
      return;
    }
    this.failures += 1;
    const delay = backoffDelay(this.failures, this.random(), this.backoff);
    this.setState({
      status: error.kind === 'rejected' ? 'error' : 'offline',
      online: error.kind === 'rejected',
      lastError,
      waiting,
      nextRetryAt: this.started ? new Date(this.clock().getTime() + delay).toISOString() : null,
    });
    this.clearTimer();
    this.schedule(delay);
  }

  private report(pendingInBatch = 0) {
    return {
      outboxSize: Math.max(0, outboxSize(this.store) - pendingInBatch),
      deviceTime: this.clock(),
    };
  }

  private async pushAll(report: CycleReport): Promise<void> {
    for (;;) {
      const pending = takePushBatch(this.store, { maxItems: this.pushBatchSize });
      if (!pending) return;
      let result;
      try {
        result = await this.transport.push(pending.batch, this.report(pending.items.length));
      } catch (error) {
        recordPushFailure(this.store, pending);
        throw error;
      }
      const { removed, remaining } = acknowledgePush(this.store, pending, result.acknowledged);
      report.pushed += removed;
      report.duplicates += result.duplicates;
      this.setState({ waiting: remaining });
      // Nothing acknowledged: stop rather than send the same batch in a tight loop.
      if (removed === 0) return;
    }
  }

  private async pullAll(report: CycleReport): Promise<void> {
    let since = getCursor(this.store) ?? '0';
    let next = this.transport.pull(since, this.pullPageSize, this.report());
    for (;;) {
      let page;
      try {
        page = await next;
      } catch (error) {
        // The hub does not know our cursor (it was reset or replaced): start over from 0. Every
        // change applies idempotently, so re-reading what we already hold is safe.
        if (error instanceof SyncError && error.code === 'cursor_ahead' && since !== '0') {
          since = '0';
          next = this.transport.pull(since, this.pullPageSize, this.report());
          continue;
        }
        throw error;
      }
      // Ask for the following page before applying this one, so the hub prepares and sends it
      // while this kiosk writes (applying is synchronous SQLite work).
      const more = page.hasMore && page.cursor !== since;
      const prefetch = more
        ? this.transport.pull(page.cursor, this.pullPageSize, this.report())
        : null;
      prefetch?.catch(() => undefined); // its error, if any, surfaces when awaited below
      if (prefetch) await new Promise((resolve) => setImmediate(resolve)); // let the request go out
      const applied = applyChanges(this.store, page);
      report.pages += 1;
      report.pulled += page.changes.length;
      report.applied += applied.applied;
      report.skipped += applied.skipped.length;
      if (!prefetch) return;
      since = page.cursor;
      next = prefetch;
    }
  }

  private setState(patch: Partial<SyncState>): void {
    const next = { ...this.state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...next });
      } catch {
        // A broken UI listener must not stop sync.
      }
    }
  }
}
