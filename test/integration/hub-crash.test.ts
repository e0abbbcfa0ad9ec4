// SIGKILL in the middle of a push: whatever moment the hub dies (before, during or after its
// commit), a retry of the same batch leaves every check-in stored exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInChecksum } from '../../core/protocol/sync';
import { HubAdmin, push } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';
import { checkIn } from '../fixtures/sync/records';

let hub: HubProcess;
let admin: HubAdmin;

beforeAll(async () => {
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
});
afterAll(async () => {
  await hub?.stop();
});

describe('hub killed mid-push', () => {
  it('loses nothing and doubles nothing', async () => {
    const kiosk = await admin.pair('kiosk', 'Kiosk', 'north');
    const makeBatch = () => ({
      checkIns: Array.from({ length: 4000 }, (_, i) =>
        checkIn(`g${i % 50}`, kiosk.deviceId, 'north'),
      ),
    });
    // Time one undisturbed push, then kill at points spread over that time and just past it.
    const sent: string[] = [];
    let pushMs = 0;
    for (let i = 0; i < 2; i++) {
      const warmup = makeBatch();
      const started = performance.now();
      expect((await push(hub.url, kiosk.token, warmup)).status).toBe(200);
      pushMs = performance.now() - started;
      sent.push(...warmup.checkIns.map((c) => c.id));
    }
    const outcomes: string[] = [];
    for (const fraction of [0.1, 0.5, 0.8, 0.9, 1.0, 1.2]) {
      const delayMs = pushMs * fraction;
      const batch = makeBatch();
      sent.push(...batch.checkIns.map((c) => c.id));
      const inFlight = push(hub.url, kiosk.token, batch).then(
        (res) => (res.status === 200 ? 'acknowledged' : `status ${res.status}`),
        () => 'connection lost',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await hub.stop('SIGKILL');
      const outcome = await inFlight;
      await hub.restart();
      const held = new Set(
        Object.values((await admin.audit()).perGuest)
          .flat()
          .map((c) => c.id),
      );
      const stored = batch.checkIns.filter((c) => held.has(c.id)).length;
      // The hub commits a batch whole or not at all.
      expect([0, batch.checkIns.length]).toContain(stored);
      outcomes.push(
        `${Math.round(delayMs)} ms: ${outcome}/${stored === 0 ? 'not committed' : 'committed'}`,
      );
      // The client retries until acknowledged: the retry adds what is missing and nothing twice.
      const retry = await push(hub.url, kiosk.token, batch);
      expect(retry.status).toBe(200);
      expect((retry.body as { duplicates: number }).duplicates).toBe(stored);
      const audit = await admin.audit();
      expect(audit.total).toBe(sent.length);
      expect(audit.checksum).toBe(checkInChecksum(sent));
    }
    // The token survived every restart (it lives hashed in the hub database).
    // The reply lost on the way back (the client gives up after sending): the retry is a duplicate.
    const lost = makeBatch();
    sent.push(...lost.checkIns.map((c) => c.id));
    const abort = new AbortController();
    const aborted = fetch(`${hub.url}/v1/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(lost),
      signal: abort.signal,
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, pushMs * 0.3));
    abort.abort();
    await aborted;
    await expect
      .poll(async () => (await admin.audit()).total, { timeout: 10_000 })
      .toBe(sent.length);
    const retry = await push(hub.url, kiosk.token, lost);
    expect(retry).toMatchObject({ status: 200, body: { duplicates: lost.checkIns.length } });
    expect((await admin.audit()).checksum).toBe(checkInChecksum(sent));
    console.log(
      `push of 4000 takes ${Math.round(pushMs)} ms; SIGKILL outcomes: ${outcomes.join(', ')}`,
    );
  });
});
