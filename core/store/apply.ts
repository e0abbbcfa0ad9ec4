// Applying a page pulled from the hub: validated first, then every change and the new cursor in
// ONE transaction; listeners (the gallery) hear about it only after that commit.
import {
  pullPageSchema,
  type Change,
  type CheckInRecord,
  type GuestRecord,
  type PullPage,
  type Tombstone,
} from '../protocol/sync';
import { getCheckIn, insertCheckIn, setReceivedAt } from './checkins';
import { validated } from './errors';
import { getEvent, setEvent } from './event';
import { dequeue } from './outbox';
import { getGuest, registrationHolder, removeGuest, sameGuest, writeGuestRow } from './guests';
import type { Store } from './store';
import {
  applyRemoteTemplate,
  deleteTemplatesOfGuest,
  getTemplateInfo,
  removeTemplate,
} from './templates';
import { clearTombstone, getTombstone, putTombstone } from './tombstones';

export const DEFAULT_PEER = 'hub';

export interface ApplyReport {
  /** Changes that altered the store. */
  applied: number;
  /** Changes already reflected here (same record, older than ours, or already deleted). */
  ignored: number;
  /** Changes that could not be applied, with why (e.g. a template of a guest we do not know). */
  skipped: { seq: number; type: Change['type']; id: string; reason: string }[];
  cursor: string;
}

// Order within a page: whatever a later change may refer to comes first. Guests and tombstones
// carry times, so their outcome does not depend on order (last writer by time wins).
const PRIORITY: Record<Change['type'], number> = {
  event: 0,
  guest: 1,
  template: 2,
  checkin: 3,
  tombstone: 4,
};

/**
 * Apply one pulled page atomically and store its cursor (for `peer`). Throws StoreError
 * ('invalid') for a malformed page, leaving the store and the cursor untouched. A change that
 * cannot apply here (a face of an unknown guest, a registration id held by another guest id)
 * is skipped and reported, so one odd record never blocks sync forever.
 */
export function applyChanges(
  store: Store,
  page: PullPage,
  options: { peer?: string } = {},
): ApplyReport {
  const valid = validated(pullPageSchema, page, 'pull page');
  const peer = options.peer ?? DEFAULT_PEER;
  const ordered = valid.changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => PRIORITY[a.change.type] - PRIORITY[b.change.type] || a.index - b.index)
    .map(({ change }) => change);
  const report: ApplyReport = { applied: 0, ignored: 0, skipped: [], cursor: valid.cursor };
  store.write(() => {
    for (const change of ordered) {
      const outcome = applyOne(store, change);
      if (outcome === 'applied') report.applied++;
      else if (outcome === 'ignored') report.ignored++;
      else
        report.skipped.push({
          seq: change.seq,
          type: change.type,
          id: idOf(change),
          reason: outcome,
        });
    }
    setCursor(store, valid.cursor, peer);
  });
  return report;
}

function idOf(change: Change): string {
  return change.data.id;
}

type Outcome = 'applied' | 'ignored' | string;

function applyOne(store: Store, change: Change): Outcome {
  switch (change.type) {
    case 'event':
      if (JSON.stringify(getEvent(store)) === JSON.stringify(change.data)) return 'ignored';
      setEvent(store, change.data);
      return 'applied';
    case 'guest':
      return applyGuest(store, change.data);
    case 'template': {
      const result = applyRemoteTemplate(store, change.data);
      if (result === 'stored') return 'applied';
      if (result === 'exists' || result === 'deleted') return 'ignored';
      return result;
    }
    case 'checkin':
      return applyCheckIn(store, change.data);
    case 'tombstone':
      return applyTombstone(store, change.data);
  }
}

function applyGuest(store: Store, incoming: GuestRecord): Outcome {
  const guest = { ...incoming, updatedAt: iso(incoming.updatedAt) };
  const tombstone = getTombstone(store, 'guest', guest.id);
  if (tombstone && tombstone.deletedAt >= guest.updatedAt) return 'ignored';
  const existing = getGuest(store, guest.id);
  if (existing && (existing.updatedAt > guest.updatedAt || sameGuest(existing, guest))) {
    return 'ignored'; // ours is newer (and queued for the hub) or says the same
  }
  if (registrationHolder(store, guest) !== null) return 'registration_id_conflict';
  writeGuestRow(store, guest);
  dequeue(store, 'guest', guest.id); // a queued older local edit lost: do not push it back
  if (tombstone) clearTombstone(store, 'guest', guest.id);
  if (guest.consent === 'withdrawn') deleteTemplatesOfGuest(store, guest.id, { origin: 'remote' });
  store.announce({ type: 'guest', guestId: guest.id });
  return 'applied';
}

function applyCheckIn(store: Store, incoming: CheckInRecord): Outcome {
  const record: CheckInRecord = {
    ...incoming,
    occurredAt: iso(incoming.occurredAt),
    ...(incoming.receivedAt ? { receivedAt: iso(incoming.receivedAt) } : {}),
  };
  const existing = getCheckIn(store, record.id);
  if (existing) {
    if (record.receivedAt && !existing.receivedAt) {
      setReceivedAt(store, record.id, record.receivedAt);
      return 'applied';
    }
    return 'ignored';
  }
  if (!getGuest(store, record.guestId)) {
    return getTombstone(store, 'guest', record.guestId) ? 'ignored' : 'unknown_guest';
  }
  insertCheckIn(store, record, 'remote');
  return 'applied';
}

function applyTombstone(store: Store, incoming: Tombstone): Outcome {
  const deletedAt = iso(incoming.deletedAt);
  if (incoming.entity === 'guest') {
    const existing = getGuest(store, incoming.id);
    if (existing && existing.updatedAt > deletedAt) {
      putTombstone(store, 'guest', incoming.id, deletedAt); // re-created after: keep it
      return 'ignored';
    }
    if (!existing) {
      const had = getTombstone(store, 'guest', incoming.id);
      putTombstone(store, 'guest', incoming.id, deletedAt);
      return had ? 'ignored' : 'applied';
    }
    removeGuest(store, incoming.id, deletedAt, 'remote');
    return 'applied';
  }
  const info = getTemplateInfo(store, incoming.id);
  if (!info) {
    const had = getTombstone(store, 'template', incoming.id);
    putTombstone(store, 'template', incoming.id, deletedAt);
    return had ? 'ignored' : 'applied';
  }
  removeTemplate(store, info, deletedAt, 'remote');
  return 'applied';
}

function iso(time: string): string {
  return new Date(time).toISOString();
}

/** The last cursor stored for a peer (null before the first pull). */
export function getCursor(store: Store, peer: string = DEFAULT_PEER): string | null {
  const row = store.stmt('SELECT cursor FROM sync_cursor WHERE peer = ?').get(peer) as
    { cursor: string } | undefined;
  return row?.cursor ?? null;
}

export function setCursor(store: Store, cursor: string, peer: string = DEFAULT_PEER): void {
  store.write(() =>
    store
      .stmt(
        `INSERT INTO sync_cursor (peer, cursor, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (peer) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      )
      .run(peer, cursor, store.now()),
  );
}
