// The kiosk product syncing with a REAL hub (server/main.ts in a child process): a runtime opened
// by openKioskRuntime on a temp data folder, paired with a one-time code, pulls the event and the
// desk's enrolments, pushes its check-ins soon after they happen, shows its sync state in the
// status, waits while the hub is away and delivers exactly once when it is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskStatus } from '../../core/api';
import { openKioskRuntime, type KioskRuntime } from '../../core/kiosk/runtime';
import { setSetting } from '../../core/store/settings';
import { openStore } from '../../core/store/store';
import { getHubLink, SyncError } from '../../core/sync';
import { pairKiosk, parseFlags } from '../../scripts/start';
import { call, HubAdmin, push } from '../fixtures/sync/hub-client';
import { startHub, type HubProcess } from '../fixtures/sync/hub-process';
import { guest, template } from '../fixtures/sync/records';

let dir: string;
let hub: HubProcess;
let admin: HubAdmin;
let desk: { token: string };
let runtime: KioskRuntime;

// Short intervals so the test does not wait on production timings (10 s pulls, 1-60 s backoff).
const SYNC_TUNING = {
  pushDelayMs: 50,
  pullIntervalMs: 300,
  backoff: { baseMs: 100, maxMs: 500 },
  requestTimeoutMs: 5_000,
};

async function status(): Promise<KioskStatus> {
  return runtime.handlers.getStatus({});
}

/** Polls the kiosk's status until `accept` holds; fails with the last status seen. */
async function statusUntil(
  accept: (s: KioskStatus) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<KioskStatus> {
  const deadline = Date.now() + timeoutMs;
  let last = await status();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`kiosk status never became ${what}: ${JSON.stringify(last.sync)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await status();
  }
  return last;
}

async function hubCheckIns(guestId: string): Promise<number> {
  return (await admin.audit()).perGuest[guestId]?.length ?? 0;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-sync-'));
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
  const event = {
    id: 'expo-2026',
    name: 'Expo 2026',
    entrances: [
      { id: 'north', name: 'North gate' },
      { id: 'desk', name: 'Registration desk' },
    ],
  };
  expect(
    (await call(`${hub.url}/v1/admin/event`, { method: 'PUT', token: hub.adminToken, body: event }))
      .status,
  ).toBe(200);
  // The registration desk enrols two guests before the kiosk exists.
  desk = await admin.pair('desk', 'Registration desk', 'desk');
  const enrolled = await push(hub.url, desk.token, {
    guests: [guest('g1'), guest('g2')],
    templates: [template('t1', 'g1', 1), template('t2', 'g2', 2)],
  });
  expect(enrolled.status).toBe(200);

  const code = await admin.pairingCode('kiosk', 'north');
  runtime = await openKioskRuntime({
    dataDir: join(dir, 'kiosk'),
    pair: { hubUrl: hub.url, code, name: 'Kiosk north' },
    engineOptions: { backend: 'wasm', workers: 1 },
    sync: SYNC_TUNING,
  });
}, 180_000);

afterAll(async () => {
  await runtime?.close();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a paired kiosk syncing in the background', () => {
  it('keeps the link, stands at the entrance it was paired for, and pulls the event and enrolments', async () => {
    expect(runtime.hubLink).toMatchObject({ hubUrl: hub.url, kind: 'kiosk', entranceId: 'north' });
    expect(getHubLink(runtime.store)?.deviceId).toBe(runtime.hubLink?.deviceId);
    const ready = await statusUntil(
      (s) => s.sync.state === 'online' && s.ready && s.guestCount === 2,
      'online and ready with two guests',
    );
    expect(ready.event).toEqual({ id: 'expo-2026', name: 'Expo 2026' });
    expect(ready.entrance).toEqual({ id: 'north', name: 'North gate' });
    expect(ready.sync.waiting).toBe(0);
    expect(Date.parse(ready.sync.lastSyncAt ?? '')).not.toBeNaN();
  });

  it('receives a desk enrolment made while it runs, by the next pull', async () => {
    expect(
      (
        await push(hub.url, desk.token, {
          guests: [guest('g3')],
          templates: [template('t3', 'g3', 3)],
        })
      ).status,
    ).toBe(200);
    await statusUntil((s) => s.guestCount === 3, 'three guests');
    const answer = await runtime.handlers.checkInByCode({ code: 'REG-g3' });
    expect(answer.kind).toBe('checked_in');
    await statusUntil((s) => s.sync.state === 'online' && s.sync.waiting === 0, 'drained');
    expect(await hubCheckIns('g3')).toBe(1);
  });

  it('pushes a check-in soon after it happens; the status shows nothing waiting', async () => {
    expect(await hubCheckIns('g1')).toBe(0);
    const answer = await runtime.handlers.checkInByCode({ code: 'REG-g1' });
    expect(answer.kind).toBe('checked_in');
    const after = await statusUntil(
      (s) => s.sync.state === 'online' && s.sync.waiting === 0,
      'online with nothing waiting',
    );
    expect(after.sync.lastSyncAt).not.toBeNull();
    expect(await hubCheckIns('g1')).toBe(1);
  });

  it('shows offline and keeps the check-in while the hub is away; delivers it exactly once when it is back', async () => {
    await hub.stop('SIGTERM');
    const answer = await runtime.handlers.checkInByCode({ code: 'REG-g2' });
    expect(answer.kind).toBe('checked_in');
    const away = await statusUntil(
      (s) => s.sync.state === 'offline' && s.sync.waiting === 1,
      'offline with one check-in waiting',
    );
    // Still checking guests in while offline: the kiosk never depends on the hub for that.
    expect(away.ready).toBe(true);
    // Several backoff rounds fail while the hub is down; the check-in stays waiting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await status()).sync).toMatchObject({ state: 'offline', waiting: 1 });

    await hub.restart();
    await statusUntil(
      (s) => s.sync.state === 'online' && s.sync.waiting === 0,
      'online again with nothing waiting',
    );
    // A few more cycles must not send it twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const audit = await admin.audit();
    expect(audit.perGuest['g2']).toHaveLength(1);
    expect(audit.perGuest['g1']).toHaveLength(1);
    expect(audit.total).toBe(3);
  });

  it('npm start --pair pairs once; every later start syncs from the stored link', async () => {
    const dataDir = join(dir, 'kiosk-2');
    const code = await admin.pairingCode('kiosk', 'north');
    const flags = parseFlags(['--pair', `${hub.url}/`, code, '--data', dataDir]);
    expect(flags.pair).toEqual({ hubUrl: hub.url, code });
    expect(parseFlags(['--hub', hub.url, '--pairing-code', code, '--data', dataDir]).pair).toEqual(
      flags.pair,
    );
    const link = await pairKiosk(flags.dataDir, flags.pair!);
    expect(link).toMatchObject({ hubUrl: hub.url, kind: 'kiosk', entranceId: 'north' });
    // The code is spent: a second start with the same flag says so and keeps the first link.
    await expect(pairKiosk(flags.dataDir, flags.pair!)).rejects.toThrow(/already paired/);
    // A normal start (no flag; sharing the engine) finds the link and syncs.
    const reopened = await openKioskRuntime({ dataDir, engine: runtime.engine, sync: SYNC_TUNING });
    try {
      expect(reopened.hubLink?.deviceId).toBe(link.deviceId);
      expect(reopened.entranceId).toBe('north');
      const deadline = Date.now() + 20_000;
      let seen = await reopened.handlers.getStatus({});
      while (!(seen.sync.state === 'online' && seen.guestCount === 3) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await reopened.handlers.getStatus({});
      }
      expect(seen.sync.state).toBe('online');
      expect(seen.guestCount).toBe(3);
      expect(seen.ready).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it.each([
    [['--pair', 'http://127.0.0.1:1'], /--pair needs/],
    [['--pair', 'ftp://hub', 'ABC'], /http:\/\/ or https:\/\//],
    [['--pair', 'not a url', 'ABC'], /not a URL/],
    [['--hub', 'http://127.0.0.1:1'], /--pairing-code/],
    [['--pairing-code', 'ABC'], /--hub URL/],
    [['--pair', 'http://h', 'ABC', '--hub', 'http://h'], /not both/],
  ])('start refuses pairing flags %j with a clear message', (argv, message) => {
    expect(() => parseFlags([...argv, '--data', join(dir, 'flags')])).toThrow(message);
  });

  it('refuses a wrong pairing code with a typed error and stores no link', async () => {
    const dataDir = join(dir, 'kiosk-bad-code');
    await expect(
      openKioskRuntime({
        dataDir,
        engine: runtime.engine,
        pair: { hubUrl: hub.url, code: 'NOT-A-CODE' },
      }),
    ).rejects.toBeInstanceOf(SyncError);
    const store = openStore(dataDir);
    try {
      expect(getHubLink(store)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('still starts with a stored link the sync client refuses (plain http to another machine)', async () => {
    const dataDir = join(dir, 'kiosk-old-link');
    const store = openStore(dataDir);
    // A link from before plain http to another machine was refused.
    setSetting(store, 'sync.hub', {
      hubUrl: 'http://10.255.0.1:8787',
      deviceId: 'dev-old',
      kind: 'kiosk',
      entranceId: 'north',
      token: 'x'.repeat(43),
    });
    store.close();
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    try {
      const kiosk = await openKioskRuntime({ dataDir, engine: runtime.engine });
      try {
        expect(kiosk.sync).toBeNull();
        expect((await kiosk.handlers.getStatus({})).sync.state).toBe('error');
      } finally {
        await kiosk.close();
      }
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(
      /not syncing with http:\/\/10\.255\.0\.1:8787: refusing plain http/,
    );
  });

  it('runs unpaired with no hub: sync state unpaired, check-ins kept locally as waiting', async () => {
    const local = await openKioskRuntime({
      dataDir: join(dir, 'kiosk-local'),
      engine: runtime.engine,
    });
    try {
      expect(local.sync).toBeNull();
      expect((await local.handlers.getStatus({})).sync).toEqual({
        state: 'unpaired',
        lastSyncAt: null,
        waiting: 0,
      });
    } finally {
      await local.close();
    }
  });
});
