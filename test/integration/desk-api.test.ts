// StaffApi through its dispatcher, as a transport calls it: without a PIN-born session token no
// staff method does anything, and the kiosk's own API has no staff function at all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, kioskMethodNames, type KioskHandlers } from '../../core/api';
import { staffMethodNames, type StaffHandlers, type StaffMethodName } from '../../core/desk/api';
import { Desk } from '../../core/desk/desk';
import { dispatchStaff } from '../../core/desk/dispatch';
import { createStaffHandlers } from '../../core/desk/handlers';
import { PinVault } from '../../core/desk/pin';
import { createFaceEngine, type FaceEngine } from '../../core/face/engine';
import { createMatcher } from '../../core/face/matcher';
import { createKioskHandlers } from '../../core/kiosk/handlers';
import {
  bindGallery,
  listAudit,
  listTemplates,
  openStore,
  saveGuest,
  setEvent,
  type Store,
} from '../../core/store';
import { crop, faceBoxes, mirror, rotate } from './desk-faces';

let now = Date.parse('2026-05-01T09:00:00Z');
let store: Store;
let engine: FaceEngine;
let desk: Desk;
let staff: StaffHandlers;
let kiosk: KioskHandlers & { close(): void };
let guestId = '';
const IDLE_MS = 120_000;

/** A well-formed input for every method, so only the missing session can refuse it. */
function validInput(method: StaffMethodName, token: string | undefined): Record<string, unknown> {
  const t = token === undefined ? {} : { token };
  const captureId = 'a'.repeat(32);
  const inputs: Record<StaffMethodName, Record<string, unknown>> = {
    staffStatus: {},
    staffLogin: { pin: '000000', staffId: 'x' },
    staffLogout: { ...t },
    staffSession: { ...t },
    staffChangePin: { ...t, currentPin: '482913', newPin: '111111' },
    staffSearch: { ...t, query: 'alice' },
    staffGuest: { ...t, guestId },
    staffGrantConsent: { ...t, guestId, noticeVersion: '2026-1' },
    staffWithdrawConsent: { ...t, guestId },
    staffStartCapture: { ...t, guestId },
    staffAddFrame: { ...t, captureId, frame: { format: 'jpeg', data: new Uint8Array([255, 216]) } },
    staffReview: { ...t, captureId },
    staffSave: { ...t, captureId, confirmLookalikes: true },
    staffCancelCapture: { ...t, captureId },
    staffRemoveFace: { ...t, guestId, templateId: null },
    staffManualCheckIn: { ...t, registrationId: 'R-1' },
    staffAuditLog: { ...t },
  };
  return inputs[method];
}

const GUARDED = staffMethodNames.filter((m) => m !== 'staffStatus' && m !== 'staffLogin');

async function call(method: string, input: unknown) {
  return dispatchStaff(staff, method, input);
}

async function login(pin = '482913', staffId = 'anna'): Promise<string> {
  const outcome = await call('staffLogin', { pin, staffId });
  if (!outcome.ok) throw new Error(outcome.error.code);
  return (outcome.value as { token: string }).token;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-api-'));
  store = openStore(dir, { clock: () => new Date(now) });
  setEvent(store, { id: 'ev', name: 'Event', entrances: [{ id: 'north', name: 'North' }] });
  guestId = saveGuest(store, {
    registrationId: 'R-1',
    name: 'Alice Dubois',
    nameLatin: null,
    organisation: null,
    category: 'attendee',
    entrances: [],
    language: null,
    consent: 'unknown',
    revoked: false,
  }).guest.id;
  const matcher = createMatcher({ fast: false });
  bindGallery(store, matcher);
  engine = await createFaceEngine();
  const pinFile = join(dir, 'staff-pin.json');
  desk = new Desk({
    store,
    gallery: matcher,
    detect: (image) => engine.detect(image),
    pinFile,
    pinVault: new PinVault(
      pinFile,
      () => now,
      { maxTries: 3, lockMs: 600_000, maxLockMs: 3_600_000 },
      { N: 1024, r: 8, p: 1, keyLen: 32 },
    ),
    station: () => ({ kioskId: 'desk-1', entranceId: 'north' }),
    modelId: 'face-api-1.7.15',
    clock: () => now,
    idleMs: IDLE_MS,
    // Test photos give few distinct poses: count smaller pose steps as new ones.
    capture: { framesNeeded: 3, minPoseStepDeg: 0.5 },
  });
  await desk.setPin('482913');
  staff = createStaffHandlers(desk);
  kiosk = createKioskHandlers({
    engine,
    matcher,
    store,
    kioskId: 'kiosk-1',
    entranceId: 'north',
  });
});

afterAll(async () => {
  kiosk?.close();
  desk?.close();
  await engine?.close();
  store?.close();
});

describe('StaffApi without the PIN', () => {
  it('refuses every staff method without a token, with a forged one and with an expired one', async () => {
    const token = await login();
    now += IDLE_MS; // idle: the token has expired
    for (const method of GUARDED) {
      for (const [given, expected] of [
        [undefined, 'session_invalid'],
        ['', 'session_invalid'],
        ['forged-token', 'session_invalid'],
        [token, 'session_expired'],
      ] as const) {
        const outcome = await call(method, validInput(method, given));
        expect(outcome.ok, `${method} with ${String(given)}`).toBe(false);
        if (!outcome.ok) {
          // An expired token reads as expired once, then as unknown.
          expect([expected, 'session_invalid'], `${method}`).toContain(outcome.error.code);
        }
      }
    }
    // Nothing happened: no consent, no faces, no check-in.
    expect(listTemplates(store, guestId)).toEqual([]);
    const actions = listAudit(store, 100).map((e) => String(e.action));
    expect(actions).not.toContain('consent.grant');
    expect(actions).not.toContain('checkin.manual');
  });

  it('says only whether a PIN is set and whether staff mode is locked', async () => {
    const outcome = await call('staffStatus', {});
    expect(outcome).toMatchObject({ ok: true, value: { pinSet: true, locked: false } });
    expect(JSON.stringify(outcome)).not.toContain('Alice');
  });

  it('the kiosk API has no staff function', async () => {
    for (const name of kioskMethodNames) expect(staffMethodNames).not.toContain(name);
    for (const method of staffMethodNames) {
      const outcome = await dispatch(kiosk, method, validInput(method, 'x'));
      expect(outcome).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('locks after wrong PINs, for the right PIN too, until the lock runs out', async () => {
    for (const expected of ['pin_wrong', 'pin_wrong', 'pin_locked', 'pin_locked']) {
      const outcome = await call('staffLogin', { pin: '999999', staffId: 'mallory' });
      expect(outcome).toMatchObject({ ok: false, error: { code: expected } });
    }
    const locked = await call('staffLogin', { pin: '482913', staffId: 'anna' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    if (!locked.ok) expect(locked.error.details?.retryAfterMs).toBeGreaterThan(0);
    now += 600_000;
    expect((await call('staffLogin', { pin: '482913', staffId: 'anna' })).ok).toBe(true);
  });
});

describe('StaffApi with the PIN', () => {
  it('runs the whole enrolment through the API, frames as JPEG bytes', async () => {
    const token = await login();
    const found = await call('staffSearch', { token, query: 'alice' });
    expect(found).toMatchObject({ ok: true, value: { total: 1 } });
    expect(await call('staffStartCapture', { token, guestId })).toMatchObject({
      ok: false,
      error: { code: 'consent_required' },
    });
    expect(
      await call('staffGrantConsent', { token, guestId, noticeVersion: '2026-1' }),
    ).toMatchObject({ ok: true });
    const started = await call('staffStartCapture', { token, guestId });
    if (!started.ok) throw new Error(started.error.code);
    const { captureId } = started.value as { captureId: string };
    const boxes = await faceBoxes(engine, 6);
    const face = await crop(6, boxes[0]!);
    const frames = [
      face,
      await mirror(face),
      await rotate(face, 4),
      await rotate(await mirror(face), -4),
    ];
    for (const jpeg of frames) {
      const fed = await call('staffAddFrame', {
        token,
        captureId,
        frame: { format: 'jpeg', data: new Uint8Array(jpeg) },
      });
      expect(fed).toMatchObject({ ok: true, value: { accepted: true } });
    }
    const broken = await call('staffAddFrame', {
      token,
      captureId,
      frame: { format: 'jpeg', data: new Uint8Array([1, 2, 3]) },
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const review = await call('staffReview', { token, captureId });
    expect(review).toMatchObject({ ok: true, value: { lookalikes: [], replaces: 0 } });
    expect(await call('staffSave', { token, captureId })).toMatchObject({
      ok: true,
      value: { templates: 3 },
    });
    const manual = await call('staffManualCheckIn', { token, registrationId: ' R-1 ' });
    expect(manual).toMatchObject({ ok: true, value: { kind: 'checked_in' } });
    const log = await call('staffAuditLog', { token, limit: 50 });
    if (!log.ok) throw new Error(log.error.code);
    const actions = (log.value as { entries: { action: string }[] }).entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['enrol.save', 'checkin.manual', 'consent.grant']),
    );
    expect(await call('staffLogout', { token })).toMatchObject({ ok: true });
    expect(await call('staffSearch', { token, query: 'alice' })).toMatchObject({
      ok: false,
      error: { code: 'session_invalid' },
    });
  });

  it('answers bad input with typed errors', async () => {
    const token = await login();
    expect(await call('staffNope', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await call('staffSearch', { token, query: 'x'.repeat(500) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('staffSearch', { token, query: '---' })).toMatchObject({
      ok: false,
      error: { code: 'bad_query' },
    });
    expect(await call('staffManualCheckIn', { token })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('staffReview', { token, captureId: 'b'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'capture_not_found' },
    });
    expect(await call('staffLogin', { pin: '482913', staffId: 'has space' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});
