// Guests: read, save (insert / update in place / leave unchanged), delete with a tombstone.
import { guestIdForRegistration } from '../protocol/roster';
import { guestSchema, type GuestRecord } from '../protocol/sync';
import { audit } from './audit';
import { StoreError, validated } from './errors';
import { dequeue, enqueue } from './outbox';
import type { Store } from './store';
import { deleteTemplatesOfGuest } from './templates';
import { clearTombstone, putTombstone } from './tombstones';

interface GuestRow {
  id: string;
  registration_id: string;
  name: string;
  name_latin: string | null;
  organisation: string | null;
  category: GuestRecord['category'];
  entrances: string;
  language: string | null;
  consent: GuestRecord['consent'];
  revoked: number;
  updated_at: string;
}

const COLUMNS =
  'id, registration_id, name, name_latin, organisation, category, entrances, language, consent, revoked, updated_at';

function fromRow(row: GuestRow): GuestRecord {
  return {
    id: row.id,
    registrationId: row.registration_id,
    name: row.name,
    nameLatin: row.name_latin,
    organisation: row.organisation,
    category: row.category,
    entrances: JSON.parse(row.entrances) as string[],
    language: row.language,
    consent: row.consent,
    revoked: row.revoked === 1,
    updatedAt: row.updated_at,
  };
}

export function getGuest(store: Store, id: string): GuestRecord | null {
  const row = store.stmt(`SELECT ${COLUMNS} FROM guest WHERE id = ?`).get(id) as
    GuestRow | undefined;
  return row ? fromRow(row) : null;
}

export function getGuestByRegistrationId(store: Store, registrationId: string): GuestRecord | null {
  const row = store
    .stmt(`SELECT ${COLUMNS} FROM guest WHERE registration_id = ?`)
    .get(registrationId) as GuestRow | undefined;
  return row ? fromRow(row) : null;
}

export function countGuests(store: Store): number {
  return (store.stmt('SELECT count(*) AS n FROM guest').get() as { n: number }).n;
}

export function listGuests(store: Store, options: { limit?: number; offset?: number } = {}) {
  const rows = store
    .stmt(`SELECT ${COLUMNS} FROM guest ORDER BY name, id LIMIT ? OFFSET ?`)
    .all(options.limit ?? 1_000, options.offset ?? 0) as GuestRow[];
  return rows.map(fromRow);
}

/**
 * Guests in id order after `afterId` (null: from the start), `limit` at a time: keyset paging, so
 * each page is one short range scan of the primary key, whatever the size of the roster.
 */
export function listGuestsAfter(store: Store, afterId: string | null, limit: number) {
  const rows = (
    afterId === null
      ? store.stmt(`SELECT ${COLUMNS} FROM guest ORDER BY id LIMIT ?`).all(limit)
      : store
          .stmt(`SELECT ${COLUMNS} FROM guest WHERE id > ? ORDER BY id LIMIT ?`)
          .all(afterId, limit)
  ) as GuestRow[];
  return rows.map(fromRow);
}

/** A guest as a caller writes it: the store sets updatedAt; the id defaults from the registration id. */
export type GuestInput = Omit<GuestRecord, 'updatedAt' | 'id'> & { id?: string };

export type SaveResult = 'inserted' | 'updated' | 'unchanged';

/** True when the two records say the same thing (updatedAt aside). */
export function sameGuest(a: Omit<GuestRecord, 'updatedAt'>, b: Omit<GuestRecord, 'updatedAt'>) {
  return (
    a.id === b.id &&
    a.registrationId === b.registrationId &&
    a.name === b.name &&
    a.nameLatin === b.nameLatin &&
    a.organisation === b.organisation &&
    a.category === b.category &&
    a.language === b.language &&
    a.consent === b.consent &&
    a.revoked === b.revoked &&
    a.entrances.length === b.entrances.length &&
    a.entrances.every((e, i) => e === b.entrances[i])
  );
}

/**
 * Save a guest made or edited on this machine: unchanged records are not touched (no updatedAt
 * bump, no outbox row); otherwise the row is written, queued for the hub, and announced.
 * Withdrawn consent deletes the guest's face templates at once.
 */
export function saveGuest(
  store: Store,
  input: GuestInput,
  options: {
    staffId?: string | null;
    audit?: boolean;
    /** The stored record when the caller already read it in this transaction (bulk import). */
    existing?: GuestRecord | null;
    /** One time for a whole batch (default: now). */
    updatedAt?: string;
    /** The caller already made sure no other guest holds this registration id (bulk import). */
    registrationChecked?: boolean;
  } = {},
): { guest: GuestRecord; result: SaveResult } {
  const id = input.id ?? guestIdForRegistration(input.registrationId);
  return store.write(() => {
    const existing = options.existing !== undefined ? options.existing : getGuest(store, id);
    const raw = { ...input, id, updatedAt: options.updatedAt ?? store.now() };
    if (existing && sameGuest(existing, raw)) return { guest: existing, result: 'unchanged' };
    const candidate = validated(guestSchema, raw, `guest ${input.registrationId}`);
    const registrationMayClash = !existing || existing.registrationId !== candidate.registrationId;
    if (registrationMayClash && !options.registrationChecked)
      refuseRegistrationClash(store, candidate);
    writeGuestRow(store, candidate);
    if (!existing) {
      // Re-created after a deletion: the guest lives again.
      clearTombstone(store, 'guest', id);
      dequeue(store, 'tombstone_guest', id);
    }
    enqueue(store, 'guest', id);
    if (candidate.consent === 'withdrawn' && existing?.consent !== 'withdrawn') {
      deleteTemplatesOfGuest(store, id, { origin: 'local' });
    }
    if (options.audit !== false) {
      audit(store, 'guest.upsert', {
        staffId: options.staffId ?? null,
        subject: id,
        detail: { result: existing ? 'updated' : 'inserted' },
      });
    }
    store.announce({ type: 'guest', guestId: id });
    return { guest: candidate, result: existing ? 'updated' : 'inserted' };
  });
}

/** Write the row as given (inside a transaction). Used by local saves and by pulled changes. */
export function writeGuestRow(store: Store, guest: GuestRecord): void {
  store
    .stmt(
      `INSERT INTO guest (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         registration_id = excluded.registration_id, name = excluded.name,
         name_latin = excluded.name_latin, organisation = excluded.organisation,
         category = excluded.category, entrances = excluded.entrances,
         language = excluded.language, consent = excluded.consent,
         revoked = excluded.revoked, updated_at = excluded.updated_at`,
    )
    .run(
      guest.id,
      guest.registrationId,
      guest.name,
      guest.nameLatin,
      guest.organisation,
      guest.category,
      JSON.stringify(guest.entrances),
      guest.language,
      guest.consent,
      guest.revoked ? 1 : 0,
      guest.updatedAt,
    );
}

/** The id of another guest already holding this guest's registration id, or null. */
export function registrationHolder(store: Store, guest: GuestRecord): string | null {
  const holder = getGuestByRegistrationId(store, guest.registrationId);
  return holder && holder.id !== guest.id ? holder.id : null;
}

export function refuseRegistrationClash(store: Store, guest: GuestRecord): void {
  const holder = registrationHolder(store, guest);
  if (holder !== null) {
    throw new StoreError(
      'conflict',
      `registration id ${guest.registrationId} already belongs to guest ${holder}, not ${guest.id}`,
    );
  }
}

/**
 * Delete a guest: the row, their face templates (biometric data gone at once, pages zeroed) and
 * their check-ins; leaves tombstones for the guest and each template and queues them for the hub.
 * Returns false when there was no such guest.
 */
export function deleteGuest(
  store: Store,
  id: string,
  options: { staffId?: string | null } = {},
): boolean {
  return store.write(() => {
    if (!getGuest(store, id)) return false;
    removeGuest(store, id, store.now(), 'local');
    audit(store, 'guest.delete', { staffId: options.staffId ?? null, subject: id });
    return true;
  });
}

/** Remove a guest inside a transaction (local delete or pulled tombstone). */
export function removeGuest(
  store: Store,
  id: string,
  deletedAt: string,
  origin: 'local' | 'remote',
): void {
  deleteTemplatesOfGuest(store, id, { origin, deletedAt });
  store
    .stmt(
      `DELETE FROM outbox WHERE kind = 'checkin'
       AND entity_id IN (SELECT id FROM check_in WHERE guest_id = ?)`,
    )
    .run(id);
  store.stmt('DELETE FROM guest WHERE id = ?').run(id); // check-ins cascade
  dequeue(store, 'guest', id);
  putTombstone(store, 'guest', id, deletedAt);
  if (origin === 'local') enqueue(store, 'tombstone_guest', id);
  store.announce({ type: 'guest_deleted', guestId: id });
  store.announce({ type: 'faces', guestId: id });
}
