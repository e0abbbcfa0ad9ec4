// HTTP to the hub: one function per route, responses checked against the protocol schemas,
// every failure turned into a SyncError. fetch is injectable (tests, Electron's net.fetch).
import { z } from 'zod';
import {
  HEADERS,
  LIMITS,
  cursorSchema,
  errorBodySchema,
  pairResponseSchema,
  pushResultSchema,
  type PairResponse,
  type PullPage,
  type PushBatch,
  type PushResult,
} from '../protocol/sync';
import { SyncError } from './errors';
import { isLoopback } from '../protocol/loopback';
import { pinnedFetch } from './tls';

export type FetchLike = typeof fetch;

const pullEnvelopeSchema = z.looseObject({
  changes: z.array(z.unknown()).max(LIMITS.maxPullPage),
  cursor: cursorSchema,
  hasMore: z.boolean(),
});

export interface TransportOptions {
  hubUrl: string;
  token?: string;
  fetch?: FetchLike;
  /** Per request; a hub that stops answering mid-request counts as unreachable. */
  timeoutMs?: number;
  /**
   * Ask for brotli-compressed pulls: about 45% fewer bytes (a first pull of 120,000 guests with
   * 3 faces: 178 instead of 332 MiB) for about 9 s more CPU across hub and kiosk. Worth it on a
   * slow or shared network (venue Wi-Fi), not on a wired LAN. Default off.
   */
  compressPulls?: boolean;
  /** Trust exactly this certificate (PEM) for an https hub: the one pinned at pairing. */
  pinnedCertificatePem?: string | null;
  /** Allow plain http to a hub on another machine (face templates would cross unencrypted). */
  allowInsecureHttp?: boolean;
}

/** What a device tells the hub on every push and pull (see HEADERS). */
export interface DeviceReport {
  outboxSize: number;
  deviceTime: Date;
}

export class HubTransport {
  private readonly base: string;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    const url = new URL(options.hubUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SyncError('rejected', `the hub address must be http(s), got ${url.protocol}`);
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && !options.allowInsecureHttp) {
      throw new SyncError(
        'rejected',
        `refusing plain http to ${url.host}: face templates and the device token would cross the ` +
          'network unencrypted. Run the hub with TLS (npm run hub -- --tls-cert FILE --tls-key FILE) ' +
          'and pair over https, or allow it with --insecure-http on a network you trust',
      );
    }
    if (options.pinnedCertificatePem && url.protocol !== 'https:') {
      throw new SyncError('rejected', 'a pinned hub certificate needs an https:// hub address');
    }
    this.base = url.origin + url.pathname.replace(/\/+$/, '');
    this.fetchFn =
      options.fetch ??
      (options.pinnedCertificatePem ? pinnedFetch(options.pinnedCertificatePem) : fetch);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async pair(code: string, name: string): Promise<PairResponse> {
    return this.request('POST', '/v1/pair', pairResponseSchema, { body: { code, name } });
  }

  async push(batch: PushBatch, report: DeviceReport): Promise<PushResult> {
    return this.request('POST', '/v1/push', pushResultSchema, { body: batch, report });
  }

  /**
   * A page as the hub sent it, checked here only for its envelope: the store's applyChanges()
   * validates every change against pullPageSchema before writing anything, and validating
   * 5,000 templates twice would double the CPU cost of a first pull.
   */
  async pull(since: string, limit: number, report: DeviceReport): Promise<PullPage> {
    const query = `?since=${encodeURIComponent(since)}&limit=${limit}`;
    return this.request('GET', `/v1/changes${query}`, pullEnvelopeSchema, {
      report,
    }) as Promise<PullPage>;
  }

  private async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    extra: { body?: unknown; report?: DeviceReport },
  ): Promise<z.output<S>> {
    // Node's fetch offers gzip/deflate over plain http, which the hub does not use; brotli only
    // when asked for, identity otherwise (compressing costs CPU on both sides).
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': this.options.compressPulls ? 'br' : 'identity',
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (extra.report) {
      headers[HEADERS.outboxSize] = String(Math.max(0, Math.floor(extra.report.outboxSize)));
      headers[HEADERS.deviceTime] = extra.report.deviceTime.toISOString();
    }
    let body: string | undefined;
    if (extra.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(extra.body);
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(this.base + path, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new SyncError('unreachable', `hub unreachable: ${describe(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncError(
        response.status >= 500 ? 'hub_error' : 'rejected',
        `the hub answered ${response.status} with something that is not JSON`,
        null,
        response.status,
      );
    }
    if (!response.ok) {
      const error = errorBodySchema.safeParse(json);
      const code = error.success ? error.data.error : null;
      const message = error.success ? error.data.message : `HTTP ${response.status}`;
      const kind =
        response.status === 401 || response.status === 403
          ? 'unauthorized'
          : response.status >= 500 || response.status === 429
            ? 'hub_error'
            : 'rejected';
      throw new SyncError(
        kind,
        `hub refused ${method} ${path.split('?')[0]}: ${message}`,
        code,
        response.status,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncError(
        'hub_error',
        `the hub's answer does not match the protocol: ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }
}

/** OpenSSL's verification failures and Node's host-name check. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ISSUER/;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code && CERTIFICATE_CODES.test(cause.code)) {
      return (
        `the hub's TLS certificate is not trusted (${cause.code}: ${cause.message ?? ''}). ` +
        'A hub with its own certificate is paired with its fingerprint; if the hub was given a ' +
        'new certificate, pair this kiosk again'
      );
    }
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}
