// Guests, faces, tombstones, the outbox and pulled pages, on real database files.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMatcher } from '../../core/face/matcher';
import { encodeDescriptor, type GuestRecord, type PullPage } from '../../core/protocol/sync';
import {
  StoreError,
  acknowledgePush,
  addTemplate,
  applyChanges,
  bindGallery,
  countTemplates,
  databasePath,
  deleteGuest,
  deleteTemplate,
  descriptorsOf,
  getCursor,
  getGuest,
  getTombstone,
  listAudit,
  listCheckIns,
  listTemplates,
  loadGallery,
  openStore,
  outboxSize,
  saveGuest,
  takePushBatch,
  type GuestInput,
  type Store,
} from '../../core/store';
import { guestIdForRegistration } from '../../core/protocol/roster';

let dir: string;
let store: Store;
let now: Date;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-data-'));
  now = new Date('2026-11-30T08:00:00.000Z');
  store = openStore(dir, { clock: () => now });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tick(ms = 1000): void {
  now = new Date(now.getTime() + ms);
}

/** A deterministic unit-length descriptor (seeded), so tests can find its bytes on disk. */
function descriptor(seed: number): Float32Array {
  const out = new Float32Array(128);
  let x = seed * 2654435761;
  for (let i = 0; i < 128; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out[i] = x / 2 ** 31 - 0.5;
  }
  const norm = Math.hypot(...out);
  return out.map((v) => v / norm);
}

function guest(registrationId: string, extra: Partial<GuestInput> = {}): GuestInput {
  return {
    registrationId,
    name: `Guest ${registrationId}`,
    nameLatin: null,
    organisation: null,
    category: 'attendee',
    entrances: [],
    language: null,
    consent: 'granted',
    revoked: false,
    ...extra,
  };
}

function face(guestId: string, seed: number) {
  return addTemplate(store, {
    guestId,
    descriptor: descriptor(seed),
    quality: 0.9,
    source: 'desk',
    modelId: 'faceres-128',
  });
}

describe('guests', () => {
  it('round-trips names in any script exactly (Chinese, Arabic, emoji, combining marks)', () => {
    const names = ['王小明', '李 娜', 'محمد بن سلمان', 'Zoë 😀🎉', 'e\u0301cole', 'Ñandú  spaced'];
    names.forEach((name, i) => saveGuest(store, guest(`U${i}`, { name, organisation: name })));
    store.close();
    store = openStore(dir, { clock: () => now });
    names.forEach((name, i) => {
      const g = getGuest(store, guestIdForRegistration(`U${i}`))!;
      expect(g.name).toBe(name);
      expect(g.organisation).toBe(name);
    });
  });

  it('leaves an unchanged guest alone (no updatedAt bump, no outbox row) and updates in place', () => {
    const first = saveGuest(store, guest('R1'));
    expect(first.result).toBe('inserted');
    expect(outboxSize(store)).toBe(1);
    tick();
    const again = saveGuest(store, guest('R1'));
    expect(again.result).toBe('unchanged');
    expect(getGuest(store, first.guest.id)!.updatedAt).toBe('2026-11-30T08:00:00.000Z');
    expect(outboxSize(store)).toBe(1);
    const changed = saveGuest(store, guest('R1', { category: 'vip' }));
    expect(changed.result).toBe('updated');
    expect(getGuest(store, first.guest.id)).toMatchObject({
      category: 'vip',
      updatedAt: '2026-11-30T08:00:01.000Z',
    });
    expect(outboxSize(store)).toBe(1); // still one row: the guest as it is now
  });

  it('refuses invalid guests with a typed error and writes nothing', () => {
    const err = (() => {
      try {
        saveGuest(store, guest('R1', { category: 'emperor' as never }));
      } catch (e) {
        return e as StoreError;
      }
    })();
    expect(err).toBeInstanceOf(StoreError);
    expect(err!.code).toBe('invalid');
    expect(err!.message).toMatch(/category/);
    expect(outboxSize(store)).toBe(0);
  });
});

describe('faces and deletion', () => {
  it('deleting a face removes the BLOB from the database files and leaves a tombstone', () => {
    const g = saveGuest(store, guest('R1')).guest;
    const keep = face(g.id, 1);
    const gone = face(g.id, 2);
    const goneBytes = Buffer.from(descriptor(2).buffer);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(databasePath(dir)).includes(goneBytes)).toBe(true); // the probe works

    expect(deleteTemplate(store, gone.id, { staffId: 'staff-1' })).toBe(true);
    expect(listTemplates(store, g.id).map((t) => t.id)).toEqual([keep.id]);
    expect(getTombstone(store, 'template', gone.id)).toEqual({
      entity: 'template',
      id: gone.id,
      deletedAt: '2026-11-30T08:00:00.000Z',
    });
    expect(listAudit(store, 1)[0]).toMatchObject({ action: 'template.delete', staffId: 'staff-1' });
    store.close();
    for (const file of [databasePath(dir), `${databasePath(dir)}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(goneBytes), file).toBe(false);
    }
    store = openStore(dir, { clock: () => now });
    expect(descriptorsOf(store, g.id)).toEqual([descriptor(1)]);
  });

  it('deleting a guest removes their faces and check-ins and queues tombstones, not copies', () => {
    const g = saveGuest(store, guest('R1')).guest;
    const t = face(g.id, 3);
    const bytes = Buffer.from(descriptor(3).buffer);
    expect(deleteGuest(store, g.id)).toBe(true);
    expect(deleteGuest(store, g.id)).toBe(false);
    expect(getGuest(store, g.id)).toBeNull();
    expect(countTemplates(store)).toBe(0);
    expect(getTombstone(store, 'guest', g.id)).not.toBeNull();
    expect(getTombstone(store, 'template', t.id)).not.toBeNull();
    const pending = takePushBatch(store)!;
    expect(pending.batch.guests).toEqual([]);
    expect(pending.batch.templates).toEqual([]);
    expect(pending.batch.deletions.map((d) => `${d.entity}:${d.id}`).sort()).toEqual(
      [`guest:${g.id}`, `template:${t.id}`].sort(),
    );
    store.close();
    for (const file of [databasePath(dir), `${databasePath(dir)}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(bytes)).toBe(false);
    }
    store = openStore(dir, { clock: () => now });
  });

  it('withdrawn consent deletes the faces at once and refuses new ones', () => {
    const g = saveGuest(store, guest('R1')).guest;
    face(g.id, 4);
    saveGuest(store, guest('R1', { consent: 'withdrawn' }));
    expect(countTemplates(store)).toBe(0);
    expect(() => face(g.id, 5)).toThrow(/withdrawn consent/);
  });

  it('refuses a malformed descriptor and a face for an unknown guest', () => {
    const g = saveGuest(store, guest('R1')).guest;
    expect(() => addTemplate(store, { ...base(g.id), descriptor: new Float32Array(127) })).toThrow(
      /128 floats/,
    );
    const nan = descriptor(1);
    nan[5] = Number.NaN;
    expect(() => addTemplate(store, { ...base(g.id), descriptor: nan })).toThrow(/non-finite/);
    expect(() => addTemplate(store, base('g-nobody'))).toThrow(/no guest g-nobody/);
    expect(countTemplates(store)).toBe(0);
  });
});

function base(guestId: string) {
  return {
    guestId,
    descriptor: descriptor(9),
    quality: 0.5,
    source: 'desk' as const,
    modelId: 'm',
  };
}

describe('outbox → push → acknowledge', () => {
  it('sends the current records and drops only what the hub acknowledged', () => {
    const a = saveGuest(store, guest('A')).guest;
    const b = saveGuest(store, guest('B')).guest;
    const t = face(a.id, 6);
    const pending = takePushBatch(store)!;
    expect(pending.batch.guests.map((g) => g.id)).toEqual([a.id, b.id]);
    expect(pending.batch.templates).toEqual([
      expect.objectContaining({
        id: t.id,
        guestId: a.id,
        descriptor: encodeDescriptor(descriptor(6)),
      }),
    ]);
    // B changes while the push is in flight: its newer version must stay queued.
    tick();
    saveGuest(store, guest('B', { name: 'Bea' }));
    const ack = acknowledgePush(store, pending, [a.id, b.id]); // template not acknowledged
    expect(ack).toEqual({ removed: 1, remaining: 2 });
    const next = takePushBatch(store)!;
    expect(next.batch.guests.map((g) => g.name)).toEqual(['Bea']);
    expect(next.batch.templates.map((x) => x.id)).toEqual([t.id]);
    acknowledgePush(store, next, [b.id, t.id]);
    expect(takePushBatch(store)).toBeNull();
  });

  it('respects maxItems and keeps the order things happened in', () => {
    for (let i = 0; i < 5; i++) saveGuest(store, guest(`R${i}`));
    const pending = takePushBatch(store, { maxItems: 2 })!;
    expect(pending.items).toHaveLength(2);
    expect(pending.batch.guests.map((g) => g.registrationId)).toEqual(['R0', 'R1']);
  });
});

describe('applyChanges (a pulled page)', () => {
  const remote = (id: string, extra: Partial<GuestRecord> = {}): GuestRecord => ({
    id,
    registrationId: `REG-${id}`,
    name: `Remote ${id}`,
    nameLatin: null,
    organisation: null,
    category: 'press',
    entrances: [],
    language: 'fr',
    consent: 'granted',
    revoked: false,
    updatedAt: '2026-11-30T07:00:00.000Z',
    ...extra,
  });

  it('applies every change and the cursor in one transaction, then updates the gallery', () => {
    const gallery = createMatcher();
    const { loaded } = bindGallery(store, gallery);
    expect(loaded).toEqual({ guests: 0, templates: 0 });
    const seen: number[] = [];
    store.onChange(() => seen.push(gallery.vectorCount));
    const page: PullPage = {
      changes: [
        // The face arrives before its guest in seq order: still applied.
        {
          seq: 3,
          type: 'template',
          data: {
            id: 'tpl-1',
            guestId: 'g1',
            descriptor: encodeDescriptor(descriptor(7)),
            quality: 0.8,
            source: 'preregistration',
            modelId: 'm',
            createdAt: '2026-11-30T07:00:00+02:00',
          },
        },
        {
          seq: 1,
          type: 'event',
          data: { id: 'ev', name: 'Expo', entrances: [{ id: 'north', name: 'North Gate' }] },
        },
        { seq: 2, type: 'guest', data: remote('g1') },
        {
          seq: 4,
          type: 'checkin',
          data: {
            id: '019ad3a0-0000-7000-8000-000000000001',
            guestId: 'g1',
            entranceId: 'north',
            kioskId: 'k2',
            occurredAt: '2026-11-30T07:30:00.000Z',
            method: 'face',
            distance: 0.3,
            staffId: null,
            receivedAt: '2026-11-30T07:30:05.000Z',
          },
        },
      ],
      cursor: '4',
      hasMore: false,
    };
    const report = applyChanges(store, page);
    expect(report).toMatchObject({ applied: 4, ignored: 0, skipped: [], cursor: '4' });
    expect(getCursor(store)).toBe('4');
    expect(gallery.vectorCount).toBe(1);
    expect(seen).toEqual([1]); // the listener ran once, after the commit
    expect(listCheckIns(store, 'g1')).toHaveLength(1);
    expect(outboxSize(store)).toBe(0); // pulled changes are not echoed back
    expect(applyChanges(store, page)).toMatchObject({ applied: 0, ignored: 4 });

    const del = applyChanges(store, {
      changes: [
        {
          seq: 5,
          type: 'tombstone',
          data: { entity: 'template', id: 'tpl-1', deletedAt: '2026-11-30T09:00:00Z' },
        },
      ],
      cursor: '5',
      hasMore: false,
    });
    expect(del.applied).toBe(1);
    expect(gallery.vectorCount).toBe(0);
    expect(countTemplates(store)).toBe(0);
  });

  it('a newer hub version wins over a queued older local edit, which is then not pushed', () => {
    now = new Date('2026-11-30T06:00:00.000Z');
    saveGuest(store, { ...guest('REG-g7'), id: 'g7', name: 'Old local' });
    applyChanges(store, {
      changes: [
        { seq: 1, type: 'guest', data: remote('g7', { registrationId: 'REG-g7', name: 'Hub' }) },
      ],
      cursor: '1',
      hasMore: false,
    });
    expect(getGuest(store, 'g7')!.name).toBe('Hub');
    expect(takePushBatch(store)).toBeNull();
  });

  it('rejects a malformed page whole: nothing written, cursor unchanged', () => {
    applyChanges(store, { changes: [], cursor: '10', hasMore: false });
    const bad = {
      changes: [
        { seq: 11, type: 'guest', data: remote('g2') },
        { seq: 12, type: 'guest', data: { ...remote('g3'), category: 'king' } },
      ],
      cursor: '12',
      hasMore: false,
    } as unknown as PullPage;
    expect(() => applyChanges(store, bad)).toThrow(StoreError);
    expect(getGuest(store, 'g2')).toBeNull();
    expect(getCursor(store)).toBe('10');
  });

  it('keeps a newer local edit, honours tombstones by time, and reports what it skipped', () => {
    now = new Date('2026-11-30T10:00:00.000Z');
    const local = saveGuest(store, { ...guest('REG-g4'), id: 'g4', name: 'Local edit' }).guest;
    const report = applyChanges(store, {
      changes: [
        { seq: 1, type: 'guest', data: remote('g4', { name: 'Older hub copy' }) },
        {
          seq: 2,
          type: 'tombstone',
          data: { entity: 'guest', id: 'g5', deletedAt: '2026-11-30T08:00:00Z' },
        },
        { seq: 3, type: 'guest', data: remote('g5') }, // older than its tombstone: stays deleted
        { seq: 4, type: 'guest', data: remote('g6', { registrationId: 'REG-g4' }) },
        {
          seq: 5,
          type: 'template',
          data: {
            id: 'tpl-x',
            guestId: 'g-unknown',
            descriptor: encodeDescriptor(descriptor(8)),
            quality: 0.8,
            source: 'desk',
            modelId: 'm',
            createdAt: '2026-11-30T07:00:00Z',
          },
        },
      ],
      cursor: '5',
      hasMore: false,
    });
    expect(getGuest(store, 'g4')!.name).toBe(local.name);
    expect(takePushBatch(store)!.batch.guests.map((g) => g.id)).toContain('g4'); // still ours to push
    expect(getGuest(store, 'g5')).toBeNull();
    expect(report.skipped).toEqual([
      { seq: 4, type: 'guest', id: 'g6', reason: 'registration_id_conflict' },
      { seq: 5, type: 'template', id: 'tpl-x', reason: 'unknown_guest' },
    ]);
  });
});

describe('gallery in step with commits', () => {
  it('loads templates stored interleaved across guests, each guest once with all its faces', () => {
    const a = saveGuest(store, guest('A')).guest;
    const b = saveGuest(store, guest('B')).guest;
    face(a.id, 1);
    face(b.id, 2);
    face(a.id, 3);
    face(b.id, 4);
    face(a.id, 5);
    const calls: [string, number][] = [];
    const gallery = createMatcher();
    const loaded = loadGallery(store, {
      setGuest: (id, descriptors) => {
        calls.push([id, descriptors.length]);
        gallery.setGuest(id, descriptors);
      },
      removeGuest: (id) => gallery.removeGuest(id),
      get guestCount() {
        return gallery.guestCount;
      },
      get vectorCount() {
        return gallery.vectorCount;
      },
    });
    expect(loaded).toEqual({ guests: 2, templates: 5 });
    expect(calls.sort()).toEqual(
      [
        [a.id, 3],
        [b.id, 2],
      ].sort(),
    );
    expect(gallery.identifyExact(descriptor(3))).toMatchObject({ kind: 'match', guestId: a.id });
    expect(gallery.identifyExact(descriptor(4))).toMatchObject({ kind: 'match', guestId: b.id });
  });

  it('loads every descriptor bit-exact across read chunks, awkward bytes included', () => {
    // Bytes that would trip a text path: NULs, invalid UTF-8 (0x80, 0xFF), -0, subnormals.
    const awkward = new Float32Array(128);
    const raw = new Uint8Array(awkward.buffer);
    for (let i = 0; i < raw.length; i++) raw[i] = [0x00, 0x80, 0xff, 0xc3, 0x0a, 0x01][i % 6]!;
    awkward[0] = -0;
    awkward[1] = 1e-45;
    awkward[2] = 0;
    expect(awkward.every(Number.isFinite)).toBe(true);
    const ids = ['A', 'B', 'C'].map((r) => saveGuest(store, guest(r)).guest.id);
    const stored = new Map<string, Float32Array[]>();
    for (let i = 0; i < 11; i++) {
      const guestId = ids[i % 3]!;
      const d = i === 4 ? awkward : descriptor(100 + i);
      addTemplate(store, { guestId, descriptor: d, quality: 0.9, source: 'desk', modelId: 'm' });
      stored.set(guestId, [...(stored.get(guestId) ?? []), d]);
    }
    for (const chunkRows of [1, 2, 4, 4096]) {
      const got = new Map<string, Uint8Array[]>();
      const loaded = loadGallery(
        store,
        {
          setGuest: (id, ds) =>
            void got.set(
              id,
              ds.map((d) => new Uint8Array(d.slice().buffer)),
            ),
          removeGuest: () => undefined,
          guestCount: 0,
          vectorCount: 0,
        },
        { chunkRows },
      );
      expect(loaded).toEqual({ guests: 3, templates: 11 });
      for (const [id, ds] of stored) {
        expect(got.get(id)).toEqual(ds.map((d) => new Uint8Array(d.slice().buffer)));
      }
    }
  });

  it('reads a chunk row by row when its ids do not split cleanly (an id with a newline)', () => {
    // Ids from the protocol cannot hold a newline, but a hand-edited database might.
    store.db
      .prepare(
        `INSERT INTO guest (id, registration_id, name, category, consent, updated_at)
         VALUES ('odd\nid', 'ODD', 'Odd', 'attendee', 'granted', '2026-11-30T00:00:00.000Z')`,
      )
      .run();
    const plain = saveGuest(store, guest('P')).guest;
    const insert = store.db.prepare(
      `INSERT INTO face_template (id, guest_id, descriptor, quality, source, model_id, created_at)
       VALUES (?, ?, ?, 0.9, 'desk', 'm', '2026-11-30T00:00:00.000Z')`,
    );
    insert.run('t1', 'odd\nid', Buffer.from(descriptor(1).buffer));
    face(plain.id, 2);
    insert.run('t3', 'odd\nid', Buffer.from(descriptor(3).buffer));
    const gallery = createMatcher();
    const loaded = loadGallery(store, gallery, { chunkRows: 2 });
    expect(loaded).toEqual({ guests: 2, templates: 3 });
    expect(gallery.descriptorCount('odd\nid')).toBe(2);
    expect(gallery.identifyExact(descriptor(3))).toMatchObject({
      kind: 'match',
      guestId: 'odd\nid',
    });
    expect(gallery.identifyExact(descriptor(2))).toMatchObject({
      kind: 'match',
      guestId: plain.id,
    });
  });

  it('loads at start-up and never sees a rolled-back face', () => {
    const g = saveGuest(store, guest('R1')).guest;
    face(g.id, 1);
    face(g.id, 2);
    const gallery = createMatcher();
    const { loaded } = bindGallery(store, gallery);
    expect(loaded).toEqual({ guests: 1, templates: 2 });
    expect(gallery.descriptorCount(g.id)).toBe(2);

    expect(() =>
      store.write(() => {
        face(g.id, 3);
        throw new Error('something later in the transaction fails');
      }),
    ).toThrow(/fails/);
    expect(gallery.descriptorCount(g.id)).toBe(2);
    expect(countTemplates(store)).toBe(2);

    face(g.id, 4);
    expect(gallery.descriptorCount(g.id)).toBe(3);
    deleteGuest(store, g.id);
    expect(gallery.hasGuest(g.id)).toBe(false);
  });
});
