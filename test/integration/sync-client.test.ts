// The SyncClient's own behaviour, driven step by step: injected timers (so no test waits on a
// wall clock) and injected randomness, but a REAL hub process over HTTP and a real kiosk store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn } from '../../core/checkin/checkin';
import { countGuests, getCursor, openStore, outboxSize, setCursor } from '../../core/store';
import type { Store } from '../../core/store';
import { SyncClient, backoffDelay, getHubLink, pairWithHub } from '../../core/sync';
import type { SyncState, Timers } from '../../core/sync';
import { call, HubAdmin, push } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';
import { guest } from '../fixtures/sync/records';

/** Timers the test fires by hand: it sees every delay the client asks for. */
class ManualTimers implements Timers {
  pending: { id: number; fn: () => void; ms: number }[] = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  /** Delays currently scheduled. */
  get delays(): number[] {
    return this.pending.map((t) => t.ms);
  }
  fire(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no timer pending');
    next.fn();
  }
}

let hub: HubProcess;
let admin: HubAdmin;
let store: Store;
let client: SyncClient;
const timers = new ManualTimers();
const states: SyncState[] = [];
const settle = (c: SyncClient) => c.syncNow();

beforeAll(async () => {
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
  await call(`${hub.url}/v1/admin/event`, {
    method: 'PUT',
    token: hub.adminToken,
    body: { id: 'ev', name: 'Event', entrances: [{ id: 'north', name: 'North' }] },
  });
  const desk = await admin.pair('desk', 'Desk');
  await push(hub.url, desk.token, { guests: [guest('a'), guest('b'), guest('c')] });
  store = openStore(mkdtempSync(join(tmpdir(), 'client-')));
  const code = await admin.pairingCode('kiosk', 'north');
  const link = await pairWithHub(store, { hubUrl: hub.url, code, name: 'Kiosk' });
  expect(getHubLink(store)).toEqual(link);
  client = new SyncClient({
    store,
    hubUrl: link.hubUrl,
    token: link.token,
    timers,
    random: () => 0.5,
    pushDelayMs: 250,
    pullIntervalMs: 5_000,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
  });
  client.subscribe((s) => states.push(s));
});

afterAll(async () => {
  await client?.stop();
  store?.close();
  await hub?.stop();
});

describe('SyncClient', () => {
  it('starts with a full cycle, then waits for the pull interval', async () => {
    client.start();
    expect(timers.delays).toEqual([0]);
    timers.fire();
    await expect.poll(() => client.getState().status).toBe('idle');
    expect(client.getState()).toMatchObject({ online: true, waiting: 0, lastError: null });
    expect(client.getState().lastSyncAt).not.toBeNull();
    expect(states.map((s) => s.status)).toContain('syncing');
    expect(timers.delays).toEqual([5_000]);
  });

  it('pushes soon after a check-in (one timer for a burst)', async () => {
    const link = getHubLink(store)!;
    for (const guestId of ['a', 'b']) {
      expect(
        checkIn(store, guestId, { method: 'face', entrance: 'north', kiosk: link.deviceId }).kind,
      ).toBe('checked_in');
    }
    expect(client.getState().waiting).toBe(2);
    expect(timers.delays).toEqual([250]);
    timers.fire();
    await expect.poll(() => client.getState().waiting).toBe(0);
    expect((await admin.audit()).total).toBe(2);
  });

  it('backs off with jitter while the hub is away and recovers when it returns', async () => {
    await hub.stop();
    const link = getHubLink(store)!;
    checkIn(store, 'c', { method: 'face', entrance: 'north', kiosk: link.deviceId });
    timers.fire(); // the push timer
    await expect.poll(() => client.getState().status).toBe('offline');
    expect(client.getState()).toMatchObject({
      online: false,
      waiting: 1,
      lastError: { kind: 'unreachable' },
    });
    expect(client.getState().nextRetryAt).not.toBeNull();
    expect(timers.delays).toEqual([backoffDelay(1, 0.5, { baseMs: 1_000, maxMs: 8_000 })]);
    // A second failed retry doubles the delay (same jitter draw).
    timers.fire();
    await expect
      .poll(() => timers.delays)
      .toEqual([backoffDelay(2, 0.5, { baseMs: 1_000, maxMs: 8_000 })]);
    expect(timers.delays[0]).toBeGreaterThan(1_000);
    await hub.restart();
    timers.fire();
    await expect.poll(() => client.getState().status).toBe('idle');
    expect(client.getState()).toMatchObject({ online: true, waiting: 0, nextRetryAt: null });
    expect((await admin.audit()).total).toBe(3);
  });

  it('starts over from 0 when its cursor is from another (or a reset) hub', async () => {
    setCursor(store, '987654321');
    const report = await settle(client);
    expect(report.error).toBeNull();
    expect(getCursor(store)).not.toBe('987654321');
    expect(Number(getCursor(store))).toBeGreaterThan(0);
    expect(countGuests(store)).toBe(3);
  });

  it('stops retrying once the device is revoked', async () => {
    await admin.revoke(getHubLink(store)!.deviceId);
    await settle(client);
    expect(client.getState()).toMatchObject({
      status: 'unauthorized',
      lastError: { code: 'token_revoked' },
    });
    expect(timers.delays).toEqual([]);
    expect(outboxSize(store)).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, jittered between half and all of it', () => {
    const opts = { baseMs: 1_000, maxMs: 8_000 };
    expect(backoffDelay(1, 0, opts)).toBe(500);
    expect(backoffDelay(1, 0.999, opts)).toBeLessThanOrEqual(1_000);
    expect(backoffDelay(3, 0, opts)).toBe(2_000);
    expect(backoffDelay(10, 0.999, opts)).toBeLessThanOrEqual(8_000);
    expect(backoffDelay(10, 0, opts)).toBe(4_000);
  });
});
