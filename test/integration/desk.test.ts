// The enrolment desk on a real SQLite file, the real face engine and the real matcher.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../core/desk/desk';
import { DeskError } from '../../core/desk/errors';
import { PinVault } from '../../core/desk/pin';
import { createFaceEngine, type FaceEngine } from '../../core/face/engine';
import { createMatcher, type FaceMatcher } from '../../core/face/matcher';
import {
  bindGallery,
  listTemplates,
  listTombstones,
  openStore,
  saveGuest,
  deleteGuest,
  getGuest,
  setEvent,
  takePushBatch,
  type Store,
} from '../../core/store';
import { crop, darken, encoded, faceBoxes, far, mirror, rotate, sample } from './desk-faces';

const FAST_SCRYPT = { N: 1024, r: 8, p: 1, keyLen: 32 };
const IDLE_MS = 180_000;

let now = Date.parse('2026-05-01T09:00:00Z');
let engine: FaceEngine;
let store: Store;
let matcher: FaceMatcher;
let desk: Desk;
let alice: Buffer[];
let bob: Buffer[];
let aliceLater: Buffer;
const ids = { alice: '', bob: '', li: '', eve: '' };

function deskCode(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof DeskError) return error.code;
    throw error;
  }
}

async function deskCodeAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (error instanceof DeskError) return error.code;
    throw error;
  }
}

async function login(staffId = 'anna'): Promise<string> {
  return (await desk.login('482913', staffId)).token;
}

/** Offers frames until the capture is complete; returns the feedback of each frame. */
async function capture(token: string, guestId: string, frames: Buffer[]) {
  const { captureId } = desk.startCapture(token, guestId);
  const feedback = [];
  for (const frame of frames) feedback.push(await desk.addFrame(token, captureId, encoded(frame)));
  return { captureId, feedback };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-int-'));
  store = openStore(dir, { clock: () => new Date(now) });
  setEvent(store, {
    id: 'expo-2026',
    name: 'Expo',
    entrances: [
      { id: 'north', name: 'North' },
      { id: 'south', name: 'South' },
    ],
  });
  const guest = (registrationId: string, name: string, more: object = {}) =>
    saveGuest(store, {
      registrationId,
      name,
      nameLatin: null,
      organisation: null,
      category: 'attendee',
      entrances: [],
      language: null,
      consent: 'unknown',
      revoked: false,
      ...more,
    }).guest.id;
  ids.alice = guest('R-1001', 'Alice Dubois', { organisation: 'Société Générale' });
  ids.bob = guest('R-1002', 'Bob Stone');
  ids.li = guest('R-1003', '李明', { nameLatin: 'Li Ming', organisation: '清华大学' });
  ids.eve = guest('R-1004', 'Eve Revoked', { revoked: true });

  matcher = createMatcher({ fast: false });
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
      { maxTries: 3, lockMs: 300_000, maxLockMs: 3_600_000 },
      FAST_SCRYPT,
    ),
    station: () => ({ kioskId: 'desk-1', entranceId: null }),
    modelId: 'face-api-1.7.15',
    clock: () => now,
    idleMs: IDLE_MS,
    // Test photos give few distinct poses: count smaller pose steps as new ones.
    capture: { framesNeeded: 3, minPoseStepDeg: 0.5 },
  });
  await desk.setPin('482913');

  // Two people from one group photo; each seen straight, mirrored and a little rotated.
  const boxes = await faceBoxes(engine, 6);
  const a = await crop(6, boxes[0]!);
  const b = await crop(6, boxes[3]!);
  alice = [a, await mirror(a), await rotate(a, 4), await rotate(await mirror(a), -4)];
  bob = [b, await mirror(b), await rotate(b, 4), await rotate(await mirror(b), -4)];
  aliceLater = await crop(6, boxes[0]!, 0.9);
});

afterAll(async () => {
  desk?.close();
  await engine?.close();
  store?.close();
});

describe('staff PIN and session', () => {
  it('refuses wrong PINs, then locks, and logs both', async () => {
    expect(await deskCodeAsync(desk.login('000000', 'mallory'))).toBe('pin_wrong');
    expect(await deskCodeAsync(desk.login('111111', 'mallory'))).toBe('pin_wrong');
    expect(await deskCodeAsync(desk.login('222222', 'mallory'))).toBe('pin_locked');
    expect(await deskCodeAsync(desk.login('482913', 'anna'))).toBe('pin_locked');
    now += 300_000;
    const token = await login();
    const actions = desk.auditLog(token, 20).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff.login_failed', 'staff.locked', 'staff.login']),
    );
  });

  it('needs a live session for every staff action, and ends after idle minutes', async () => {
    const token = await login();
    expect((await desk.search(token, 'alice')).hits[0]!.id).toBe(ids.alice);
    now += IDLE_MS;
    expect(await deskCodeAsync(desk.search(token, 'alice'))).toBe('session_expired');
    expect(await deskCodeAsync(desk.search('forged', 'alice'))).toBe('session_invalid');
    expect(deskCode(() => desk.startCapture('', ids.alice))).toBe('session_invalid');
    expect(deskCode(() => desk.withdrawConsent('nope', ids.alice))).toBe('session_invalid');
    expect(deskCode(() => desk.auditLog('nope'))).toBe('session_invalid');
  });
});

describe('search', () => {
  it('finds guests by name, transliteration, organisation and registration number', async () => {
    const token = await login();
    const first = async (q: string) => (await desk.search(token, q)).hits.map((h) => h.id);
    expect(await first('ALICE dub')).toEqual([ids.alice]);
    expect(await first('societe generale')).toEqual([ids.alice]);
    expect(await first('李明')).toEqual([ids.li]);
    expect(await first('li ming')).toEqual([ids.li]);
    expect(await first('清华')).toEqual([ids.li]);
    expect(await first('r1002')).toEqual([ids.bob]);
  });

  it('follows the store: new, renamed and deleted guests', async () => {
    const token = await login();
    const { guest } = saveGuest(store, {
      registrationId: 'R-2000',
      name: 'Zygmunt Nowak',
      nameLatin: null,
      organisation: null,
      category: 'press',
      entrances: [],
      language: null,
      consent: 'unknown',
      revoked: false,
    });
    const hits = async (q: string) => (await desk.search(token, q)).hits;
    expect((await hits('zygmunt')).map((h) => h.id)).toEqual([guest.id]);
    saveGuest(store, { ...guest, name: 'Zbigniew Nowak' });
    expect(await hits('zygmunt')).toEqual([]);
    expect(await hits('zbig')).toHaveLength(1);
    deleteGuest(store, guest.id);
    expect(await hits('nowak')).toEqual([]);
    // A whole roster in one commit (an import) is picked up too.
    store.write(() => {
      for (let i = 0; i < 1500; i++) {
        saveGuest(
          store,
          {
            registrationId: `BULK-${i}`,
            name: `Bulk Guest ${i}`,
            nameLatin: null,
            organisation: 'Importers Ltd',
            category: 'attendee',
            entrances: [],
            language: null,
            consent: 'unknown',
            revoked: false,
          },
          { audit: false },
        );
      }
    });
    // That commit started a rebuild in slices, which read its first page at once. A guest on
    // that page renamed while the rebuild runs is applied after it.
    const firstId = store.db.prepare('SELECT id FROM guest ORDER BY id LIMIT 1').pluck().get();
    const late = saveGuest(store, {
      ...getGuest(store, firstId as string)!,
      name: 'Quincy Latecomer',
    }).guest;
    expect((await hits('latecomer')).map((h) => h.id)).toEqual([late.id]);
    // A search right after the commit waits for the rebuild: it never answers from a stale index.
    expect((await desk.search(token, 'importers')).total).toBe(1500);
    expect((await hits('bulk-1499')).map((h) => h.registrationId)).toEqual(['BULK-1499']);
    expect((await hits('alice')).map((h) => h.id)).toEqual([ids.alice]);
  });
});

describe('enrolment', () => {
  it('needs recorded consent first, with time and staff member', async () => {
    const token = await login();
    expect(deskCode(() => desk.startCapture(token, ids.alice))).toBe('consent_required');
    expect(deskCode(() => desk.grantConsent(token, ids.eve, '2026-1'))).toBe('guest_revoked');
    desk.grantConsent(token, ids.alice, '2026-1');
    const entry = desk.auditLog(token).find((e) => e.action === 'consent.grant')!;
    expect(entry).toMatchObject({
      staffId: 'anna',
      subject: ids.alice,
      at: new Date(now).toISOString(),
    });
    expect(entry.detail).toMatchObject({ noticeVersion: '2026-1' });
  });

  it('refuses poor frames with the engine’s reasons and keeps none of them', async () => {
    const token = await login();
    const dark = await darken(alice[0]!);
    const small = await far(alice[0]!);
    const { captureId, feedback } = await capture(token, ids.alice, [dark, small, sample(6)]);
    expect(feedback[0]).toMatchObject({ accepted: false, refusal: 'poor_quality' });
    expect(feedback[0]!.qualityReasons).toContain('too_dark');
    expect(feedback[1]!.accepted).toBe(false);
    if (feedback[1]!.refusal === 'poor_quality') {
      expect(feedback[1]!.qualityReasons).toContain('too_small');
    } else {
      expect(feedback[1]!.refusal).toBe('no_face');
    }
    expect(feedback[2]).toMatchObject({ accepted: false, refusal: 'several_faces' });
    expect(feedback[2]!.progress.goodFrames).toBe(0);
    expect(deskCode(() => desk.review(token, captureId))).toBe('capture_incomplete');
    // A camera frame so dark that no face is found at all is still reported as too dark.
    const black = await sharp(alice[0]!)
      .modulate({ brightness: 0.08 })
      .ensureAlpha()
      .raw()
      .toBuffer({
        resolveWithObject: true,
      });
    const night = await desk.addFrame(token, captureId, {
      kind: 'rgba',
      data: new Uint8Array(black.data),
      width: black.info.width,
      height: black.info.height,
    });
    expect(night).toMatchObject({
      accepted: false,
      refusal: 'no_face',
      qualityReasons: ['too_dark'],
    });
    desk.cancelCapture(token, captureId);
  });

  it('collects good frames with pose variety, shows the result, then saves it', async () => {
    const token = await login();
    const { captureId, feedback } = await capture(token, ids.alice, alice);
    expect(feedback.every((f) => f.accepted)).toBe(true);
    const last = feedback.at(-1)!.progress;
    expect(last).toMatchObject({ complete: true, poseVariety: true, consistent: true });
    const review = desk.review(token, captureId);
    expect(review.frames).toHaveLength(3);
    expect(review.lookalikes).toEqual([]);
    expect(review.replaces).toBe(0);
    expect(desk.save(token, captureId, false)).toEqual({ templates: 3 });
    expect(listTemplates(store, ids.alice)).toHaveLength(3);
    // Recognised from another picture of her.
    const later = await engine.detect(encoded(aliceLater));
    const result = matcher.identify(later.faces[0]!.descriptor);
    expect(result).toMatchObject({ kind: 'match', guestId: ids.alice });
    // The capture is gone once saved.
    expect(deskCode(() => desk.review(token, captureId))).toBe('capture_not_found');
  });

  it('warns when the new face already matches another guest, and staff decide', async () => {
    const token = await login('ben');
    desk.grantConsent(token, ids.bob, '2026-1');
    const { captureId } = await capture(token, ids.bob, alice);
    const review = desk.review(token, captureId);
    expect(review.lookalikes.map((l) => l.guest.id)).toEqual([ids.alice]);
    expect(review.lookalikes[0]!.distance).toBeLessThan(0.5);
    expect(deskCode(() => desk.save(token, captureId, false))).toBe('lookalike_unconfirmed');
    expect(listTemplates(store, ids.bob)).toHaveLength(0);
    desk.cancelCapture(token, captureId);
    // Bob's own face: no warning.
    const own = await capture(token, ids.bob, bob);
    expect(desk.review(token, own.captureId).lookalikes).toEqual([]);
    desk.save(token, own.captureId, false);
    expect(listTemplates(store, ids.bob)).toHaveLength(3);
  });

  it('re-enrols by replacing the old templates, leaving tombstones for sync', async () => {
    const token = await login();
    const before = listTemplates(store, ids.alice).map((t) => t.id);
    const { captureId } = await capture(token, ids.alice, [...alice].reverse());
    expect(desk.review(token, captureId).replaces).toBe(3);
    desk.save(token, captureId, false);
    const after = listTemplates(store, ids.alice).map((t) => t.id);
    expect(after).toHaveLength(3);
    expect(after.some((id) => before.includes(id))).toBe(false);
    const tombstoned = listTombstones(store).map((t) => t.id);
    for (const id of before) expect(tombstoned).toContain(id);
  });

  it('removes one face or all of them', async () => {
    const token = await login();
    const [first] = listTemplates(store, ids.bob);
    expect(desk.removeFace(token, ids.bob, first!.id)).toEqual({ removed: 1 });
    expect(listTemplates(store, ids.bob)).toHaveLength(2);
    expect(desk.removeFace(token, ids.bob, null)).toEqual({ removed: 2 });
    expect(matcher.hasGuest(ids.bob)).toBe(false);
    expect(deskCode(() => desk.removeFace(token, ids.bob, null))).toBe('no_templates');
  });

  it('withdrawal deletes every face of the guest here and queues the deletion for the hub', async () => {
    const token = await login();
    const templateIds = listTemplates(store, ids.alice).map((t) => t.id);
    expect(desk.withdrawConsent(token, ids.alice)).toEqual({ templatesRemoved: 3 });
    expect(listTemplates(store, ids.alice)).toEqual([]);
    expect(matcher.hasGuest(ids.alice)).toBe(false);
    const rows = store.db
      .prepare('SELECT count(*) AS n FROM face_template WHERE guest_id = ?')
      .get(ids.alice) as { n: number };
    expect(rows.n).toBe(0);
    const batch = takePushBatch(store, { maxItems: 5000 })!.batch;
    const deleted = batch.deletions.filter((d) => d.entity === 'template').map((d) => d.id);
    for (const id of templateIds) expect(deleted).toContain(id);
    expect(batch.templates.filter((t) => t.guestId === ids.alice)).toEqual([]);
    expect(batch.guests.find((g) => g.id === ids.alice)?.consent).toBe('withdrawn');
    // No new capture without new consent.
    expect(deskCode(() => desk.startCapture(token, ids.alice))).toBe('consent_required');
  });
});

describe('manual check-in and audit', () => {
  it('checks in by registration number with method manual and the staff member', async () => {
    const token = await login('carla');
    const done = desk.manualCheckIn(token, { registrationId: 'R-1003' });
    expect(done.answer.kind).toBe('checked_in');
    const row = store.db
      .prepare('SELECT method, staff_id, kiosk_id FROM check_in WHERE guest_id = ?')
      .get(ids.li);
    expect(row).toEqual({ method: 'manual', staff_id: 'carla', kiosk_id: 'desk-1' });
    expect(desk.manualCheckIn(token, { guestId: ids.li }).answer.kind).toBe('welcome_back');
    expect(desk.manualCheckIn(token, { guestId: ids.eve }).answer.kind).toBe('revoked');
    expect(deskCode(() => desk.manualCheckIn(token, { registrationId: 'R-9999' }))).toBe(
      'guest_not_found',
    );
  });

  it('records every staff action with the staff member, readable by staff', async () => {
    const token = await login();
    const log = desk.auditLog(token, 1000);
    const actions = new Set(log.map((e) => e.action));
    for (const action of [
      'staff.pin_set',
      'staff.login',
      'guest.search',
      'consent.grant',
      'enrol.start',
      'enrol.save',
      'enrol.cancel',
      'face.remove',
      'consent.withdraw',
      'checkin.manual',
      'template.add',
    ]) {
      expect(actions).toContain(action);
    }
    // Everything staff did carries who did it (the test's own roster edits have no staff).
    const staffDone = log.filter((e) =>
      /^(staff\.login|consent|enrol|face|checkin|audit|guest\.search|guest\.view|template)/.test(
        e.action,
      ),
    );
    expect(staffDone.length).toBeGreaterThan(20);
    expect(staffDone.filter((e) => e.staffId === null)).toEqual([]);
    // Never a descriptor in the log.
    expect(JSON.stringify(log)).not.toMatch(/descriptor/i);
    const card = desk.guestCard(token, ids.alice);
    expect(card.history.map((e) => e.action)).toContain('consent.withdraw');
  });
});
