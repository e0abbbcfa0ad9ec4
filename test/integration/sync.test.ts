// The whole sync path with REAL processes: a hub (server/main.ts) and three kiosks plus a desk,
// each with its own SQLite store, matcher gallery and SyncClient, talking HTTP on 127.0.0.1.
// After every scenario the hub holds exactly the union of the kiosks' check-ins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInChecksum } from '../../core/protocol/sync';
import { DeviceHandle } from '../fixtures/sync/device-handle';
import { call, HubAdmin, push } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';
import { guest } from '../fixtures/sync/records';

const TEN_MINUTES = 10 * 60_000;
let hub: HubProcess;
let admin: HubAdmin;
let desk: DeviceHandle;
let kiosks: DeviceHandle[];
let north: DeviceHandle;
let south: DeviceHandle;
let east: DeviceHandle;
let rawDesk: { deviceId: string; token: string };

async function device(
  kind: 'kiosk' | 'desk',
  entranceId: string,
  clockOffsetMs = 0,
  autoSync = false,
) {
  const paired = await admin.pair(kind, `${kind} ${entranceId}`, entranceId);
  return DeviceHandle.start({
    hubUrl: hub.url,
    token: paired.token,
    deviceId: paired.deviceId,
    entranceId,
    clockOffsetMs,
    autoSync,
  });
}

/** The hub's check-ins per guest equal the union of the kiosks', and both checksums agree. */
async function expectHubEqualsKiosks(devices: DeviceHandle[] = kiosks) {
  const hubAudit = await admin.audit();
  const audits = await Promise.all(devices.map((k) => k.audit()));
  const union = new Map<string, Set<string>>();
  for (const audit of audits) {
    expect(audit.outbox).toBe(0);
    for (const [guestId, ids] of Object.entries(audit.perGuest)) {
      const set = union.get(guestId) ?? new Set<string>();
      for (const id of ids) set.add(id);
      union.set(guestId, set);
    }
  }
  const hubCounts = Object.fromEntries(
    Object.entries(hubAudit.perGuest).map(([g, list]) => [g, list.length]),
  );
  const unionCounts = Object.fromEntries([...union].map(([g, set]) => [g, set.size]));
  expect(hubCounts).toEqual(unionCounts);
  expect(hubAudit.checksum).toBe(checkInChecksum([...union.values()].flatMap((s) => [...s])));
  return hubAudit;
}

async function syncAll(devices: DeviceHandle[] = [desk, ...kiosks]) {
  for (const d of devices) expect((await d.sync()).error).toBeNull();
}

beforeAll(async () => {
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
  const event = {
    id: 'expo-2026',
    name: 'Expo 2026',
    entrances: [
      { id: 'north', name: 'North gate' },
      { id: 'south', name: 'South gate' },
      { id: 'east', name: 'East gate' },
      { id: 'desk', name: 'Registration desk' },
    ],
  };
  expect(
    (await call(`${hub.url}/v1/admin/event`, { method: 'PUT', token: hub.adminToken, body: event }))
      .status,
  ).toBe(200);
  rawDesk = await admin.pair('desk', 'Bulk importer');
  [desk, north, south, east] = await Promise.all([
    device('desk', 'desk'),
    device('kiosk', 'north', +TEN_MINUTES),
    device('kiosk', 'south', 0),
    device('kiosk', 'east', -TEN_MINUTES),
  ]);
  kiosks = [north, south, east];
});

afterAll(async () => {
  await Promise.all([desk, ...(kiosks ?? [])].filter(Boolean).map((d) => d.stop()));
  await hub?.stop();
});

describe('sync between kiosks through the hub', () => {
  it('brings desk enrolments to every kiosk and their faces into every gallery', async () => {
    for (let i = 1; i <= 6; i++) await desk.enrol(`guest-${i}`, [i * 10, i * 10 + 1]);
    await syncAll();
    for (const kiosk of kiosks) {
      expect(await kiosk.identify(30)).toBe('match:guest-3');
      expect(await kiosk.identify(61)).toBe('match:guest-6');
      expect(await kiosk.identify(999)).not.toMatch(/^match/);
    }
  });

  it('keeps both check-ins of one guest made at two offline entrances; the third attempt is welcome_back', async () => {
    await hub.stop('SIGTERM');
    expect(await north.checkIn('guest-1')).toBe('checked_in');
    expect(await south.checkIn('guest-1')).toBe('checked_in');
    const offline = await north.sync();
    expect(offline.error).toMatch(/^unreachable/);
    expect(await north.state()).toMatchObject({ status: 'offline', online: false, waiting: 1 });
    await hub.restart();
    // Each kiosk learns of the other's check-in within one sync after it reached the hub.
    expect((await north.sync()).error).toBeNull();
    expect((await south.sync()).error).toBeNull();
    expect((await south.audit()).perGuest['guest-1']).toHaveLength(2);
    expect((await north.sync()).error).toBeNull();
    expect((await north.audit()).perGuest['guest-1']).toHaveLength(2);
    expect((await east.sync()).error).toBeNull();
    expect(await east.checkIn('guest-1')).toBe('welcome_back');
    expect(await north.checkIn('guest-1')).toBe('welcome_back');
    expect((await admin.audit()).perGuest['guest-1']).toHaveLength(2);
    await syncAll();
    await expectHubEqualsKiosks();
  });

  it('orders check-ins by when they happened although kiosk clocks are 10 minutes apart', async () => {
    // North's clock runs 10 minutes fast: by raw kiosk times south would look first.
    expect(await north.checkIn('guest-2')).toBe('checked_in');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await south.checkIn('guest-2')).toBe('checked_in');
    const northOwn = (await north.audit()).perGuest['guest-2']![0]!;
    const southOwn = (await south.audit()).perGuest['guest-2']![0]!;
    await syncAll([north, south, east]);
    await syncAll([north, south, east]);
    const hubAudit = await expectHubEqualsKiosks();
    const [first, second] = hubAudit.perGuest['guest-2']!;
    expect([first!.id, second!.id]).toEqual([northOwn, southOwn]);
    expect(Date.parse(second!.correctedAt) - Date.parse(first!.correctedAt)).toBeGreaterThan(1_000);
    expect(Date.parse(second!.correctedAt) - Date.parse(first!.correctedAt)).toBeLessThan(60_000);
    const overview = await admin.overview();
    const skew = overview.devices.find((d) => d.id === north.config.deviceId)!.clockSkewMs!;
    expect(Math.abs(skew + TEN_MINUTES)).toBeLessThan(5_000);
    expect(await east.checkIn('guest-2')).toBe('welcome_back');
  });

  it('delivers everything exactly once after the hub was down while check-ins went on (background sync)', async () => {
    await Promise.all(kiosks.map((k) => k.startSync()));
    await hub.stop('SIGTERM');
    const answers = [
      ...(await north.checkInMany(['guest-3', 'guest-4'])),
      ...(await south.checkInMany(['guest-4', 'guest-5'])),
      ...(await east.checkInMany(['guest-5', 'guest-6', 'guest-3'])),
    ];
    expect(answers.filter((a) => a === 'checked_in')).toHaveLength(7);
    await expect.poll(async () => (await east.state()).status, { timeout: 10_000 }).toBe('offline');
    expect((await east.state()).waiting).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await hub.restart();
    for (const kiosk of kiosks) {
      await expect.poll(async () => (await kiosk.state()).waiting, { timeout: 20_000 }).toBe(0);
      await expect.poll(async () => (await kiosk.state()).status, { timeout: 20_000 }).toBe('idle');
    }
    // Every kiosk pulls on its own: wait until each holds all 7 + the earlier check-ins.
    const expected = (await admin.audit()).total;
    for (const kiosk of kiosks) {
      await expect
        .poll(async () => (await kiosk.audit()).ids.length, { timeout: 20_000 })
        .toBe(expected);
    }
    await expectHubEqualsKiosks();
    expect(await north.checkIn('guest-6')).toBe('welcome_back');
  });

  it('makes a face deleted at the desk stop matching on every kiosk after the next sync', async () => {
    expect(await desk.deleteGuest('guest-4')).toBe(true);
    await syncAll();
    for (const kiosk of kiosks) {
      expect(await kiosk.identify(40)).not.toBe('match:guest-4');
      expect(await kiosk.identify(41)).not.toBe('match:guest-4');
      expect(await kiosk.checkIn('guest-4')).toBe('refused:guest_deleted');
      expect(await kiosk.identify(50)).toBe('match:guest-5');
    }
    // Its check-ins went with it on every side: the hub still equals the kiosks' union.
    expect((await admin.audit()).perGuest['guest-4']).toBeUndefined();
    await expectHubEqualsKiosks();
  });

  it('loses nothing and doubles nothing when the hub is SIGKILLed in the middle of a push', async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `bulk-${i}`);
    for (let i = 0; i < ids.length; i += 1_000) {
      expect(
        (
          await push(hub.url, rawDesk.token, {
            guests: ids.slice(i, i + 1_000).map((id) => guest(id)),
          })
        ).status,
      ).toBe(200);
    }
    await syncAll([south]);
    const waitingAtKill: number[] = [];
    let checkedIn = 0;
    // Round 1 kills right after the first of three pushes is acknowledged (the second is on its
    // way); rounds 2 and 3 kill at fixed times, wherever the pushes happen to be.
    const rounds = [
      { size: 2_500, kill: 'after-first-ack' as const },
      { size: 1_000, kill: 60 },
      { size: 1_000, kill: 200 },
    ];
    for (const round of rounds) {
      const slice = ids.slice(checkedIn, checkedIn + round.size);
      checkedIn += slice.length;
      const answers = await south.checkInMany(slice);
      expect(answers.every((a) => a === 'checked_in')).toBe(true);
      if (round.kill === 'after-first-ack') {
        await expect
          .poll(async () => (await south.state()).waiting, { interval: 2, timeout: 20_000 })
          .toBeLessThanOrEqual(1_500);
      } else {
        // The push starts ~100 ms (pushDelayMs) after the check-ins.
        await new Promise((resolve) => setTimeout(resolve, 100 + round.kill));
      }
      await hub.stop('SIGKILL');
      waitingAtKill.push((await south.state()).waiting);
      await hub.restart();
      await expect.poll(async () => (await south.state()).waiting, { timeout: 30_000 }).toBe(0);
    }
    // The first kill cut a push cycle short: some check-ins acknowledged, the rest not yet.
    expect(waitingAtKill[0]).toBeGreaterThan(0);
    expect(waitingAtKill[0]).toBeLessThan(2_500);
    for (const kiosk of kiosks) {
      await expect.poll(async () => (await kiosk.state()).waiting, { timeout: 30_000 }).toBe(0);
    }
    const expected = (await admin.audit()).total;
    for (const kiosk of kiosks) {
      await expect
        .poll(async () => (await kiosk.audit()).ids.length, { timeout: 30_000 })
        .toBe(expected);
    }
    await expectHubEqualsKiosks();
    expect((await admin.audit()).perGuest['bulk-0']).toHaveLength(1);
    console.log(`south's outbox at each SIGKILL: ${waitingAtKill.join(', ')}`);
  });

  it('stops a revoked kiosk at once and keeps its check-ins locally', async () => {
    const before = await admin.audit();
    expect((await admin.revoke(east.config.deviceId)).status).toBe(200);
    expect(await east.checkIn('guest-1')).toBe('welcome_back');
    expect(await east.checkIn('bulk-4999')).toBe('checked_in');
    await expect
      .poll(async () => (await east.state()).status, { timeout: 10_000 })
      .toBe('unauthorized');
    const state = await east.state();
    expect(state.lastError).toMatchObject({ kind: 'unauthorized', code: 'token_revoked' });
    expect(state.waiting).toBe(1);
    expect((await admin.audit()).checksum).toBe(before.checksum);
    // The others go on; the hub equals their union plus what east delivered before revocation.
    await expectHubEqualsKiosks([north, south]);
  });
});
