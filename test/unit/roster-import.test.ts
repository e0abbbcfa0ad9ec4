// Importing rosters into a real store: all or nothing, idempotent re-import, updates in place.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterRejectedError, importRoster } from '../../core/import/roster-import';
import {
  RosterFormatError,
  guestIdForRegistration,
  parseMappingArgs,
} from '../../core/protocol/roster';
import {
  addTemplate,
  countGuests,
  countTemplates,
  deleteGuest,
  getGuest,
  listAudit,
  openStore,
  outboxSize,
  saveGuest,
  setEvent,
  type Store,
} from '../../core/store';

const fixture = (name: string) => readFileSync(path.join('test/fixtures/roster', name));
let dir: string;
let store: Store;
let now: Date;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'roster-import-'));
  now = new Date('2026-11-30T06:00:00.000Z');
  store = openStore(dir, { clock: () => now });
  setEvent(store, {
    id: 'expo',
    name: 'Expo',
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

describe('importRoster', () => {
  it('imports a good file and names round-trip through the database exactly', () => {
    const summary = importRoster(store, fixture('good.csv'), {
      staffId: 'staff-1',
      sourceName: 'good.csv',
    });
    expect(summary).toMatchObject({ rows: 5, inserted: 5, updated: 0, unchanged: 0, errors: [] });
    store.close();
    store = openStore(dir, { clock: () => now });
    expect(getGuest(store, guestIdForRegistration('R1001'))).toMatchObject({
      name: '王小明',
      nameLatin: 'Wang Xiaoming',
      organisation: '北京大学, 计算机系',
      category: 'vip',
      entrances: ['north', 'vip'],
      language: 'zh-CN',
      consent: 'granted',
      revoked: false,
      updatedAt: '2026-11-30T06:00:00.000Z',
    });
    expect(getGuest(store, guestIdForRegistration('R1002'))!.name).toBe('محمد الأحمد');
    expect(getGuest(store, guestIdForRegistration('R1003'))!.name).toBe('Zoë 😀 Müller');
    expect(listAudit(store, 1)[0]).toMatchObject({
      action: 'roster.import',
      staffId: 'staff-1',
      subject: 'good.csv',
      detail: { inserted: 5 },
    });
  });

  it('re-importing the same file changes nothing; an updated file updates in place', () => {
    importRoster(store, fixture('good.csv'));
    const outbox = outboxSize(store);
    const audits = listAudit(store, 100).length;
    now = new Date('2026-11-30T07:00:00.000Z');
    const again = importRoster(store, fixture('good.csv'));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(outboxSize(store)).toBe(outbox);
    expect(listAudit(store, 100)).toHaveLength(audits);
    expect(getGuest(store, guestIdForRegistration('R1002'))!.updatedAt).toBe(
      '2026-11-30T06:00:00.000Z',
    );

    const updated = importRoster(store, fixture('updated.csv'));
    expect(updated).toMatchObject({ inserted: 1, updated: 1, unchanged: 4 });
    expect(getGuest(store, guestIdForRegistration('R1002'))).toMatchObject({
      category: 'vip',
      updatedAt: '2026-11-30T07:00:00.000Z',
    });
    expect(getGuest(store, guestIdForRegistration('R1006'))!.name).toBe('Новый Гость');
    expect(countGuests(store)).toBe(6);
  });

  it('does not bring back a guest deleted on this kiosk', () => {
    importRoster(store, fixture('good.csv'));
    deleteGuest(store, guestIdForRegistration('R1003'));
    const again = importRoster(store, fixture('good.csv'));
    expect(again).toMatchObject({ inserted: 0, unchanged: 4, deleted: 1 });
    expect(getGuest(store, guestIdForRegistration('R1003'))).toBeNull();
  });

  it('a file with bad rows imports nothing, listing every bad row by line', () => {
    let error: RosterRejectedError | undefined;
    try {
      importRoster(store, fixture('bad-rows.csv'));
    } catch (err) {
      error = err as RosterRejectedError;
    }
    expect(error).toBeInstanceOf(RosterRejectedError);
    expect(error!.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 10, 11]);
    expect(error!.message).toMatch(/8 bad rows; nothing was imported/);
    expect(error!.message).toMatch(/line 6: unknown category "emperor"/);
    expect(countGuests(store)).toBe(0);
    expect(outboxSize(store)).toBe(0);
  });

  it('reports a registration id held by a guest made elsewhere, with its line, and keeps that guest', () => {
    // A guest synced from another system under its own id, holding registration R1001.
    saveGuest(store, {
      id: 'g-elsewhere',
      registrationId: 'R1001',
      name: 'Held Elsewhere',
      nameLatin: null,
      organisation: null,
      category: 'attendee',
      entrances: [],
      language: null,
      consent: 'unknown',
      revoked: false,
    });
    const summary = importRoster(store, 'id,name\nR1000,Ann\nR1001,王小明\n', { skipBad: true });
    expect(summary.errors).toEqual([
      {
        line: 3,
        registrationId: 'R1001',
        problem: 'registration_conflict',
        message: 'registration id "R1001" belongs to guest g-elsewhere made elsewhere',
      },
    ]);
    expect(summary.inserted).toBe(1);
    expect(getGuest(store, 'g-elsewhere')?.name).toBe('Held Elsewhere');
  });

  it('with skipBad imports the good rows and reports the bad ones', () => {
    const summary = importRoster(store, fixture('bad-rows.csv'), { skipBad: true });
    expect(summary).toMatchObject({ rows: 10, inserted: 2 });
    expect(summary.errors).toHaveLength(8);
    expect(getGuest(store, guestIdForRegistration('B1'))!.entrances).toEqual(['north']);
  });

  it('a malformed file is a format error and nothing is written', () => {
    expect(() => importRoster(store, fixture('unterminated-quote.csv'))).toThrow(RosterFormatError);
    expect(() => importRoster(store, fixture('wrong-column-count.csv'), { skipBad: true })).toThrow(
      /line 4: expected 3 fields/,
    );
    expect(countGuests(store)).toBe(0);
  });

  it('columns absent from the file leave stored values alone; consent "no" removes faces', () => {
    importRoster(store, fixture('good.csv'));
    const id = guestIdForRegistration('R1001');
    addTemplate(store, {
      guestId: id,
      descriptor: new Float32Array(128).fill(0.088),
      quality: 0.9,
      source: 'desk',
      modelId: 'm',
    });
    const mapping = parseMappingArgs([
      'Badge=registrationId',
      'Nom=name',
      'Société=organisation',
      'Catégorie=category',
    ]);
    importRoster(store, 'Badge,Nom\nR1001,王小明\n', {
      mapping: { Badge: mapping.Badge!, Nom: mapping.Nom! },
    });
    expect(getGuest(store, id)).toMatchObject({
      language: 'zh-CN',
      entrances: ['north', 'vip'],
      consent: 'granted',
    });
    expect(countTemplates(store)).toBe(1);
    importRoster(store, 'id,name,consent\nR1001,王小明,no\n');
    expect(getGuest(store, id)!.consent).toBe('withdrawn');
    expect(countTemplates(store)).toBe(0);
  });
});
