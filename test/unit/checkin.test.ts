// Every answer of the check-in rules, idempotency and refusals, on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckInRefused, checkIn, type CheckInRequest } from '../../core/checkin/checkin';
import { uuidv7 } from '../../core/ids';
import {
  applyChanges,
  countCheckIns,
  deleteGuest,
  listAudit,
  openStore,
  outboxSize,
  saveGuest,
  setEvent,
  takePushBatch,
  type GuestInput,
  type Store,
} from '../../core/store';

let dir: string;
let store: Store;
let now: Date;
const clock = () => now;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'checkin-'));
  now = new Date('2026-11-30T09:00:00.000Z');
  store = openStore(dir, { clock });
  setEvent(store, {
    id: 'expo',
    name: 'Expo 2026',
    entrances: [
      { id: 'north', name: 'North Gate' },
      { id: 'south', name: 'South Gate' },
      { id: 'vip', name: 'VIP Lounge' },
    ],
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function addGuest(registrationId: string, extra: Partial<GuestInput> = {}): string {
  return saveGuest(store, {
    registrationId,
    name: '王小明',
    nameLatin: 'Wang Xiaoming',
    organisation: '北京大学',
    category: 'speaker',
    entrances: [],
    language: 'zh-CN',
    consent: 'granted',
    revoked: false,
    ...extra,
  }).guest.id;
}

const atNorth: CheckInRequest = {
  method: 'face',
  entrance: 'north',
  kiosk: 'kiosk-1',
  distance: 0.31,
};

function refusal(fn: () => unknown): CheckInRefused {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckInRefused);
    return err as CheckInRefused;
  }
  throw new Error('expected CheckInRefused');
}

describe('checkIn answers', () => {
  it('checked_in the first time, with what the screen says; one check-in row and one outbox row', () => {
    const id = addGuest('R1');
    const outboxBefore = outboxSize(store);
    const answer = checkIn(store, id, atNorth);
    expect(answer).toEqual({
      kind: 'checked_in',
      checkInId: expect.any(String),
      guest: {
        guestId: id,
        name: '王小明',
        nameLatin: 'Wang Xiaoming',
        organisation: '北京大学',
        category: 'speaker',
        language: 'zh-CN',
      },
      entrance: { id: 'north', name: 'North Gate' },
      at: '2026-11-30T09:00:00.000Z',
    });
    expect(countCheckIns(store)).toBe(1);
    expect(outboxSize(store)).toBe(outboxBefore + 1);
    const pushed = takePushBatch(store)!.batch.checkIns;
    expect(pushed).toEqual([
      {
        id: answer.kind === 'checked_in' ? answer.checkInId : '',
        guestId: id,
        entranceId: 'north',
        kioskId: 'kiosk-1',
        occurredAt: '2026-11-30T09:00:00.000Z',
        method: 'face',
        distance: 0.31,
        staffId: null,
      },
    ]);
  });

  it('welcome_back with when and where they first came in, writing nothing', () => {
    const id = addGuest('R1');
    checkIn(store, id, atNorth);
    now = new Date('2026-11-30T11:30:00.000Z');
    const answer = checkIn(store, id, { ...atNorth, entrance: 'south', kiosk: 'kiosk-7' });
    expect(answer).toMatchObject({
      kind: 'welcome_back',
      entrance: { id: 'south', name: 'South Gate' },
      at: '2026-11-30T11:30:00.000Z',
      first: {
        at: '2026-11-30T09:00:00.000Z',
        entrance: { id: 'north', name: 'North Gate' },
        kioskId: 'kiosk-1',
      },
    });
    expect(countCheckIns(store)).toBe(1);
  });

  it('welcome_back counts a check-in pulled from the hub (made at another entrance)', () => {
    const id = addGuest('R1');
    applyChanges(store, {
      changes: [
        {
          seq: 1,
          type: 'checkin',
          data: {
            id: uuidv7(Date.parse('2026-11-30T08:40:00Z')),
            guestId: id,
            entranceId: 'vip',
            kioskId: 'kiosk-9',
            occurredAt: '2026-11-30T08:40:00Z',
            method: 'qr',
            distance: null,
            staffId: null,
            receivedAt: '2026-11-30T08:40:02Z',
          },
        },
      ],
      cursor: '1',
      hasMore: false,
    });
    const answer = checkIn(store, id, atNorth);
    expect(answer).toMatchObject({
      kind: 'welcome_back',
      first: {
        entrance: { id: 'vip', name: 'VIP Lounge' },
        kioskId: 'kiosk-9',
        at: '2026-11-30T08:40:00.000Z',
      },
    });
  });

  it('not_allowed_here names the entrances they may use, and records nothing', () => {
    const id = addGuest('R1', { entrances: ['vip', 'south'] });
    const answer = checkIn(store, id, atNorth);
    expect(answer).toMatchObject({
      kind: 'not_allowed_here',
      entrance: { id: 'north', name: 'North Gate' },
      allowed: [
        { id: 'vip', name: 'VIP Lounge' },
        { id: 'south', name: 'South Gate' },
      ],
      guest: { name: '王小明' },
    });
    expect(countCheckIns(store)).toBe(0);
    expect(checkIn(store, id, { ...atNorth, entrance: 'vip' }).kind).toBe('checked_in');
  });

  it('revoked beats everything else, and records nothing', () => {
    const id = addGuest('R1', { revoked: true, entrances: ['south'] });
    expect(checkIn(store, id, atNorth)).toMatchObject({ kind: 'revoked', guest: { guestId: id } });
    expect(countCheckIns(store)).toBe(0);
  });
});

describe('idempotency', () => {
  it('the same check-in id again answers as the first time and writes nothing', () => {
    const id = addGuest('R1');
    const checkInId = uuidv7(now.getTime());
    const first = checkIn(store, id, { ...atNorth, id: checkInId });
    const outbox = outboxSize(store);
    now = new Date('2026-11-30T09:05:00.000Z');
    const again = checkIn(store, id, { ...atNorth, id: checkInId });
    expect(again).toEqual(first);
    expect(countCheckIns(store)).toBe(1);
    expect(outboxSize(store)).toBe(outbox);
    // A later, different check-in id is a welcome back; replaying it stays a welcome back.
    const later = uuidv7(now.getTime());
    expect(checkIn(store, id, { ...atNorth, id: later }).kind).toBe('welcome_back');
    expect(checkIn(store, id, { ...atNorth, id: later }).kind).toBe('welcome_back');
  });

  it('refuses a check-in id that belongs to another guest', () => {
    const a = addGuest('A');
    const b = addGuest('B');
    const checkInId = uuidv7();
    checkIn(store, a, { ...atNorth, id: checkInId });
    expect(refusal(() => checkIn(store, b, { ...atNorth, id: checkInId })).reason).toBe(
      'id_reused',
    );
  });
});

describe('refusals', () => {
  it('a guest this kiosk has never heard of', () => {
    const err = refusal(() => checkIn(store, 'g-stranger', atNorth));
    expect(err.reason).toBe('unknown_guest');
    expect(err.message).toMatch(/no guest g-stranger/);
    expect(countCheckIns(store)).toBe(0);
  });

  it('a deleted guest', () => {
    const id = addGuest('R1');
    deleteGuest(store, id);
    expect(refusal(() => checkIn(store, id, atNorth)).reason).toBe('guest_deleted');
  });

  it('an entrance that is not one of the event', () => {
    const id = addGuest('R1');
    expect(refusal(() => checkIn(store, id, { ...atNorth, entrance: 'roof' })).reason).toBe(
      'unknown_entrance',
    );
  });

  it('a manual check-in without staff, and malformed requests', () => {
    const id = addGuest('R1');
    expect(refusal(() => checkIn(store, id, { ...atNorth, method: 'manual' })).reason).toBe(
      'staff_required',
    );
    for (const bad of [
      { ...atNorth, id: 'not-a-uuid' },
      { ...atNorth, distance: -1 },
      { ...atNorth, kiosk: 'kiosk 1' },
      { ...atNorth, at: new Date('nonsense') },
    ]) {
      expect(refusal(() => checkIn(store, id, bad)).reason).toBe('invalid_request');
    }
    expect(countCheckIns(store)).toBe(0);
  });

  it('a manual check-in by staff is audited', () => {
    const id = addGuest('R1');
    checkIn(store, id, { ...atNorth, method: 'manual', staffId: 'staff-3', distance: null });
    expect(listAudit(store, 1)[0]).toMatchObject({
      action: 'checkin.manual',
      staffId: 'staff-3',
      subject: id,
    });
  });
});

describe('the clock', () => {
  it('is injectable per call and the time of the answer comes from it', () => {
    const id = addGuest('R1');
    const answer = checkIn(store, id, atNorth, { clock: () => new Date('2027-01-01T00:00:00Z') });
    expect(answer.at).toBe('2027-01-01T00:00:00.000Z');
    const explicit = checkIn(store, id, { ...atNorth, at: new Date('2027-01-01T01:00:00Z') });
    expect(explicit.at).toBe('2027-01-01T01:00:00.000Z');
  });
});
