// The enrolment desk in real Chromium on a fake camera, with a real hub between the desk and a
// kiosk: a staff member enrols a guest from a video of their face, and the kiosk (synced through
// the hub) recognises that guest from another video; poor videos get the right guidance; a
// look-alike is flagged; withdrawal removes the faces on both; wrong PINs lock staff mode.
// Both the desk and the kiosk are served by the product's transport (core/transport/http-server.ts)
// with their staff handlers, as `npm start` serves them; the kiosk screen's Staff button opens
// staff mode behind the PIN.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffMethodNames } from '../../core/desk/api';
import { pinFileIn } from '../../core/desk/install';
import { PinVault } from '../../core/desk/pin';
import { encodeRequest } from '../../core/transport/codec';
import { createFaceEngine, type FaceEngine } from '../../core/face/engine';
import { openKioskRuntime, type KioskRuntime } from '../../core/kiosk/runtime';
import { getGuestByRegistrationId, listTemplates, saveGuest } from '../../core/store';
import { SyncClient } from '../../core/sync';
import { startKioskHttpServer, type KioskHttpServer } from '../../core/transport/http-server';
import {
  SAMPLE_FACES,
  emptyShot,
  makeY4m,
  pairShot,
  samplePhoto,
  shotOf,
  type Shot,
} from '../../scripts/fake-camera';
import { HubAdmin, call } from '../fixtures/sync/hub-client';
import { startHub, type HubProcess } from '../fixtures/sync/hub-process';
import {
  buildDeskUi,
  deskShot,
  mirroredPhoto,
  openDesk,
  serveDesk,
  type DeskInstance,
  type DeskServer,
} from './desk-harness';
import { BASE_FLAGS, CHROMIUM, cameraFlags } from './harness';

const WAIT = 90_000;
const PIN = '482913';

let dir: string;
let engine: FaceEngine;
let hub: HubProcess;
let desk: DeskInstance;
let deskServer: DeskServer;
let kiosk: KioskRuntime;
let kioskSync: SyncClient;
let kioskServer: KioskHttpServer;
let clockOffset = 0;
const clock = () => Date.now() + clockOffset;
const videos: Record<string, string> = {};
const browsers: Browser[] = [];

async function video(name: string, shots: Shot[]): Promise<string> {
  const file = join(dir, `${name}.y4m`);
  await makeY4m(shots, file);
  videos[name] = file;
  return file;
}

async function openPage(y4m: string, url: string): Promise<Page> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...BASE_FLAGS, ...cameraFlags(y4m), '--window-size=1280,800'],
    headless: true,
  });
  browsers.push(browser);
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 800 } })
  ).newPage();
  await page.goto(url);
  return page;
}

async function login(page: Page, staffId = 'anna', pin = PIN) {
  await page.getByTestId('pin-staff').fill(staffId);
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
}

/** Waits for the review screen; on time-out says what the capture screen was showing. */
async function reviewScreen(page: Page) {
  try {
    await page.locator('[data-screen="desk-review"]').waitFor({ timeout: WAIT });
  } catch (error) {
    const text = async (id: string) =>
      page
        .getByTestId(id)
        .textContent()
        .catch(() => null);
    throw new Error(
      `no review: guidance=${await text('capture-guidance')} progress=${await text('capture-progress')} message=${await text('desk-message')}`,
      { cause: error },
    );
  }
}

async function openGuest(page: Page, query: string) {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-result').first().locator('button').click();
  await page.locator('[data-screen="desk-guest"]').waitFor({ timeout: WAIT });
}

const guestId = (registrationId: string) =>
  getGuestByRegistrationId(desk.store, registrationId)!.id;

async function syncBoth() {
  expect((await desk.sync.syncNow()).error ?? null).toBeNull();
  expect((await kioskSync.syncNow()).error ?? null).toBeNull();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
  const uiDir = join(dir, 'ui');
  await buildDeskUi(uiDir);
  engine = await createFaceEngine();
  hub = await startHub();
  const admin = new HubAdmin(hub.url, hub.adminToken);
  const event = {
    id: 'expo',
    name: 'Expo',
    entrances: [
      { id: 'north', name: 'North Entrance' },
      { id: 'desk', name: 'Registration desk' },
    ],
  };
  await call(`${hub.url}/v1/admin/event`, { method: 'PUT', token: hub.adminToken, body: event });
  const deskPair = await admin.pair('desk', 'Desk 1');
  const kioskPair = await admin.pair('kiosk', 'North 1', 'north');

  desk = openDesk({
    dataDir: join(dir, 'desk'),
    engine,
    hubUrl: hub.url,
    hubToken: deskPair.token,
    clock,
  });
  await desk.desk.setPin(PIN);
  for (const [registrationId, name] of [
    ['R-100', 'Amelia Hart'],
    ['R-101', 'Bella Stone'],
  ] as const) {
    saveGuest(desk.store, {
      registrationId,
      name,
      nameLatin: null,
      organisation: 'Expo Press',
      category: 'attendee',
      entrances: [],
      language: null,
      consent: 'unknown',
      revoked: false,
    });
  }
  deskServer = await serveDesk(desk, uiDir);

  kiosk = await openKioskRuntime({ dataDir: join(dir, 'kiosk'), entranceId: 'north', engine });
  kioskSync = new SyncClient({ store: kiosk.store, hubUrl: hub.url, token: kioskPair.token });
  kioskServer = await startKioskHttpServer({
    handlers: kiosk.handlers,
    staffHandlers: kiosk.staffHandlers,
    uiDir,
  });
  // The kiosk's staff PIN, as `npm run desk:pin` sets it at install.
  await new PinVault(pinFileIn(join(dir, 'kiosk')), Date.now).set(PIN);
  await syncBoth();

  // Curly from photo 3, straight and mirrored: the same face turned both ways.
  const mirrored = await mirroredPhoto('curly', join(dir, 'curly-mirrored.jpg'));
  const curly = SAMPLE_FACES.curly;
  await video('desk-curly', [
    deskShot(samplePhoto(curly.photo), curly.box, 20),
    deskShot(mirrored.photo, mirrored.box, 20),
  ]);
  await video('kiosk-curly', [emptyShot(10), shotOf('curly', 60)]);
  await video('kiosk-empty', [emptyShot(30)]);
  await video('desk-poor', [
    deskShot(samplePhoto(curly.photo), curly.box, 30, {
      brightness: 0.2,
      drift: { dx: 0, dy: 0, zoom: 1 },
    }),
    shotOf('curly', 30, { people: [{ face: 'curly', x: 0.5, y: 0.5, size: 0.18 }] }),
    pairShot('curly', 'red', 30),
  ]);
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close().catch(() => {});
  await kioskServer?.close();
  await kioskSync?.stop();
  await kiosk?.close();
  await deskServer?.close();
  await desk?.close();
  await engine?.close();
  await hub?.stop();
});

describe('enrolment desk in Chromium', () => {
  it('enrols a guest from a video; a second kiosk synced through the hub recognises them', async () => {
    const page = await openPage(videos['desk-curly']!, deskServer.url);
    await login(page);
    await openGuest(page, 'amelia');
    await page.getByTestId('card-enrol').click();
    await page.locator('[data-screen="desk-consent"]').waitFor({ timeout: WAIT });
    await expect(page.locator('[data-screen="desk-consent"]').textContent()).resolves.toMatch(
      /face templates[\s\S]*30 days[\s\S]*withdraw/,
    );
    await page.getByTestId('consent-agree').click();
    await page.locator('[data-screen="desk-capture"]').waitFor({ timeout: WAIT });
    await reviewScreen(page);
    await expect(page.getByTestId('review-lookalike').count()).resolves.toBe(0);
    await page.getByTestId('review-save').click();
    await page.locator('[data-screen="desk-guest"]').waitFor({ timeout: WAIT });
    await expect.poll(() => page.getByTestId('card-face').count(), { timeout: WAIT }).toBe(5);
    const amelia = guestId('R-100');
    expect(listTemplates(desk.store, amelia)).toHaveLength(5);

    await syncBoth();
    expect(listTemplates(kiosk.store, amelia)).toHaveLength(5);
    const kioskPage = await openPage(videos['kiosk-curly']!, kioskServer.url);
    const welcome = kioskPage.locator('[data-screen="welcome"]');
    await welcome.waitFor({ timeout: WAIT });
    await expect(welcome.getByTestId('guest-name').textContent()).resolves.toBe('Amelia Hart');
    await kioskPage.context().browser()!.close();
  }, 300_000);

  it('refuses a poor video with the right guidance and keeps no frame of it', async () => {
    const page = await openPage(videos['desk-poor']!, deskServer.url);
    await login(page);
    await openGuest(page, 'bella');
    await page.getByTestId('card-enrol').click();
    await page.getByTestId('consent-agree').click();
    const guidance = page.getByTestId('capture-guidance');
    await guidance.waitFor({ timeout: WAIT });
    const seen = new Set<string>();
    const wanted = ['Too dark', 'Come closer', 'Only one person'];
    const deadline = Date.now() + WAIT;
    while (Date.now() < deadline && !wanted.every((w) => [...seen].some((s) => s.includes(w)))) {
      seen.add((await guidance.textContent()) ?? '');
      await page.waitForTimeout(100);
    }
    for (const w of wanted)
      expect(
        [...seen].some((s) => s.includes(w)),
        `${w} in ${[...seen].join(' | ')}`,
      ).toBe(true);
    await expect(page.getByTestId('capture-progress').textContent()).resolves.toContain('0 of 5');
    await page.context().browser()!.close();
  }, 240_000);

  it('warns when a second guest is enrolled with the first guest’s face, showing both; manual check-in', async () => {
    const page = await openPage(videos['desk-curly']!, deskServer.url);
    await login(page, 'ben');
    await openGuest(page, 'bella');
    await page.getByTestId('card-enrol').click();
    // Bella consented in the previous test: straight to the camera.
    await reviewScreen(page);
    const warning = page.getByTestId('review-lookalike');
    await warning.waitFor({ timeout: WAIT });
    await expect(warning.textContent()).resolves.toMatch(/Bella Stone[\s\S]*Amelia Hart/);
    await expect(page.getByTestId('review-save').isDisabled()).resolves.toBe(true);
    await page.getByTestId('review-confirm').check();
    await expect(page.getByTestId('review-save').isEnabled()).resolves.toBe(true);
    // Staff decide it is not Bella: nothing is saved.
    await page.getByText('Cancel').click();
    await page.locator('[data-screen="desk-guest"]').waitFor({ timeout: WAIT });
    expect(listTemplates(desk.store, guestId('R-101'))).toEqual([]);
    // The face did not do it for Bella: staff check her in by hand, recorded as manual by ben.
    await page.getByTestId('card-manual').click();
    await expect
      .poll(() => page.getByTestId('manual-result').textContent(), { timeout: WAIT })
      .toContain('Checked in');
    const row = desk.store.db
      .prepare('SELECT method, staff_id FROM check_in WHERE guest_id = ?')
      .get(guestId('R-101'));
    expect(row).toEqual({ method: 'manual', staff_id: 'ben' });
    await page.context().browser()!.close();
  }, 240_000);

  it('withdrawal removes the guest’s templates on the desk and, through the hub, on the kiosk', async () => {
    const page = await openPage(videos['desk-curly']!, deskServer.url);
    await login(page);
    await openGuest(page, 'amelia');
    await page.getByTestId('card-withdraw').click();
    await page.getByTestId('card-withdraw-confirm').click();
    await page.getByTestId('card-no-faces').waitFor({ timeout: WAIT });
    const amelia = guestId('R-100');
    expect(listTemplates(desk.store, amelia)).toEqual([]);
    await syncBoth();
    expect(listTemplates(kiosk.store, amelia)).toEqual([]);
    expect(kiosk.matcher.hasGuest(amelia)).toBe(false);
    const rows = kiosk.store.db
      .prepare('SELECT count(*) AS n FROM face_template WHERE guest_id = ?')
      .get(amelia) as { n: number };
    expect(rows.n).toBe(0);
    // The audit log, read on screen, shows who did it.
    await page.getByTestId('nav-audit').click();
    await expect
      .poll(() => page.locator('[data-testid="audit-row"][data-action="consent.withdraw"]').count())
      .toBeGreaterThan(0);
    await page.context().browser()!.close();
  });

  it('no staff function is reachable from the kiosk screens, nor without the PIN', async () => {
    const post = (origin: string, token: string, method: string, input: unknown) =>
      fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-kiosk-call' },
        body: encodeRequest(input) as Uint8Array<ArrayBuffer>,
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { ok: boolean; error?: { code: string } },
      }));
    // The kiosk's own handler map holds no staff method: staff calls reach only the staff map.
    for (const method of staffMethodNames) {
      expect(Object.prototype.hasOwnProperty.call(kiosk.handlers, method), method).toBe(false);
    }
    // A transport given the kiosk's handlers alone knows no staff method at all.
    const kioskOnly = await startKioskHttpServer({ handlers: kiosk.handlers, uiDir: null });
    try {
      const fromKiosk = await post(kioskOnly.origin, kioskOnly.token, 'staffSearch', {
        token: 'x',
        query: 'amelia',
      });
      expect(fromKiosk).toMatchObject({
        status: 404,
        body: { ok: false, error: { code: 'unknown_method' } },
      });
    } finally {
      await kioskOnly.close();
    }
    // The product's transport (kiosk and desk alike) refuses every staff call without a session,
    // whatever the token looks like; only status and login are open.
    const forged = 'A'.repeat(43);
    for (const server of [kioskServer, deskServer]) {
      for (const [method, input] of [
        ['staffSearch', { query: 'amelia' }],
        ['staffSearch', { token: forged, query: 'amelia' }],
        ['staffWithdrawConsent', { token: 'forged', guestId: guestId('R-101') }],
        ['staffManualCheckIn', { registrationId: 'R-101' }],
        ['staffAuditLog', {}],
      ] as const) {
        const answer = await post(server.origin, server.token, method, input);
        expect(answer.body, `${server.origin} ${method}`).toMatchObject({
          ok: false,
          error: { code: expect.stringMatching(/^session_(invalid|expired)$/) as string },
        });
      }
      const status = await post(server.origin, server.token, 'staffStatus', {});
      expect(status.body).toMatchObject({ ok: true, value: { pinSet: true } });
    }
    // Without the per-launch token, not even the staff status answers.
    const noToken = await post(kioskServer.origin, 'wrong', 'staffStatus', {});
    expect(noToken).toMatchObject({ status: 401, body: { ok: false } });
  });

  it('the kiosk screen’s Staff button opens staff mode behind the PIN and returns to the kiosk', async () => {
    const page = await openPage(videos['kiosk-empty']!, kioskServer.url);
    await page.locator('[data-screen="idle"], [data-screen="live"]').first().waitFor({
      timeout: WAIT,
    });
    await page.getByTestId('staff-button').click();
    await page.locator('[data-screen="desk-pin"]').waitFor({ timeout: WAIT });
    expect(new URL(page.url()).searchParams.get('mode')).toBe('staff');
    await login(page, 'anna', '000000');
    await expect.poll(() => page.getByTestId('pin-error').textContent()).toContain('tries left');
    await login(page, 'anna', PIN);
    await page.getByTestId('search-input').fill('amelia');
    await expect
      .poll(() => page.getByTestId('search-result').count(), { timeout: WAIT })
      .toBeGreaterThan(0);
    await page.getByTestId('desk-logout').click();
    await page.getByTestId('staff-button').waitFor({ timeout: WAIT });
    expect(new URL(page.url()).searchParams.get('mode')).toBeNull();
    await expect(page.locator('[data-testid="desk"]').count()).resolves.toBe(0);
    await page.context().browser()!.close();
  });

  it('wrong PINs lock staff mode, and staff mode leaves by itself when idle', async () => {
    const page = await openPage(videos['desk-curly']!, deskServer.url);
    for (const expected of ['2 tries left', '1 tries left', 'locked']) {
      await login(page, 'mallory', '000000');
      await expect.poll(() => page.getByTestId('pin-error').textContent()).toContain(expected);
    }
    await login(page, 'anna', PIN);
    await expect.poll(() => page.getByTestId('pin-error').textContent()).toContain('locked');
    clockOffset += 5 * 60_000;
    await login(page, 'anna', PIN);
    await page.getByTestId('search-input').waitFor({ timeout: WAIT });
    clockOffset += 3 * 60_000; // idle for the desk's idle time
    await page.getByTestId('search-input').fill('amelia');
    await page.getByTestId('desk-notice').waitFor({ timeout: WAIT });
    await expect(page.getByTestId('desk-notice').textContent()).resolves.toContain('idle');
    await page.context().browser()!.close();
  });
});
