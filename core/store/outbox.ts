// The outbox: local changes the hub has not acknowledged yet. Rows point at the live record, so
// a push always sends the current version and a deleted face is never resent from a copy.
import {
  LIMITS,
  type CheckInRecord,
  type GuestRecord,
  type PushBatch,
  type TemplateRecord,
  type Tombstone,
} from '../protocol/sync';
import { getCheckIn } from './checkins';
import { getGuest } from './guests';
import type { Store } from './store';
import { getTemplateRecord } from './templates';
import { getTombstone } from './tombstones';

export type OutboxKind =
  'checkin' | 'guest' | 'template' | 'tombstone_guest' | 'tombstone_template';

export interface OutboxItem {
  seq: number;
  kind: OutboxKind;
  id: string;
}

/** A batch ready to POST, and which outbox rows it came from (pass it back to acknowledgePush). */
export interface PendingPush {
  batch: PushBatch;
  items: readonly OutboxItem[];
}

/** Queue a local change (inside the caller's transaction). A newer queueing replaces an older one. */
export function enqueue(store: Store, kind: OutboxKind, id: string): void {
  store.stmt('DELETE FROM outbox WHERE kind = ? AND entity_id = ?').run(kind, id);
  store
    .stmt('INSERT INTO outbox (kind, entity_id, queued_at) VALUES (?, ?, ?)')
    .run(kind, id, store.now());
}

/** Forget a queued change (the record it points at is gone or superseded). */
export function dequeue(store: Store, kind: OutboxKind, id: string): void {
  store.stmt('DELETE FROM outbox WHERE kind = ? AND entity_id = ?').run(kind, id);
}

export function outboxSize(store: Store): number {
  return (store.stmt('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
}

/**
 * The oldest queued changes as one PushBatch (null when the outbox is empty). Reads the current
 * records; rows whose record no longer exists are dropped from the outbox on the way.
 * Nothing is removed until acknowledgePush() is called with the hub's answer.
 */
export function takePushBatch(
  store: Store,
  options: { maxItems?: number } = {},
): PendingPush | null {
  const maxItems = Math.min(options.maxItems ?? 1_000, LIMITS.maxBatchItems);
  return store.write(() => {
    const rows = store
      .stmt('SELECT seq, kind, entity_id AS id FROM outbox ORDER BY seq LIMIT ?')
      .all(maxItems) as OutboxItem[];
    if (rows.length === 0) return null;
    const batch: Required<PushBatch> = { checkIns: [], guests: [], templates: [], deletions: [] };
    const items: OutboxItem[] = [];
    for (const row of rows) {
      const record = loadRecord(store, row);
      if (record === null) {
        store.stmt('DELETE FROM outbox WHERE seq = ?').run(row.seq);
        continue;
      }
      items.push(row);
      if (row.kind === 'checkin') batch.checkIns.push(record as CheckInRecord);
      else if (row.kind === 'guest') batch.guests.push(record as GuestRecord);
      else if (row.kind === 'template') batch.templates.push(record as TemplateRecord);
      else batch.deletions.push(record as Tombstone);
    }
    return items.length === 0 ? null : { batch, items };
  });
}

/**
 * Apply the hub's PushResult.acknowledged to a pending push: acknowledged rows leave the outbox
 * (only the exact rows sent: a record changed again since then stays queued); the others
 * count one more attempt. Returns how many were removed and how many remain queued overall.
 */
export function acknowledgePush(
  store: Store,
  pending: PendingPush,
  acknowledged: readonly string[],
): { removed: number; remaining: number } {
  const ids = new Set(acknowledged);
  let removed = 0;
  store.write(() => {
    for (const item of pending.items) {
      if (ids.has(item.id)) {
        removed += store.stmt('DELETE FROM outbox WHERE seq = ?').run(item.seq).changes;
      } else {
        store.stmt('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?').run(item.seq);
      }
    }
  });
  return { removed, remaining: outboxSize(store) };
}

/** The push failed outright (network, hub error): count an attempt on each item, keep them all. */
export function recordPushFailure(store: Store, pending: PendingPush): void {
  store.write(() => {
    for (const item of pending.items) {
      store.stmt('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?').run(item.seq);
    }
  });
}

function loadRecord(
  store: Store,
  item: OutboxItem,
): CheckInRecord | GuestRecord | TemplateRecord | Tombstone | null {
  switch (item.kind) {
    case 'checkin': {
      const record = getCheckIn(store, item.id);
      if (!record) return null;
      const { receivedAt: _drop, ...push } = record; // set by the hub, absent in a push
      return push;
    }
    case 'guest':
      return getGuest(store, item.id);
    case 'template':
      return getTemplateRecord(store, item.id);
    case 'tombstone_guest':
      return getTombstone(store, 'guest', item.id);
    case 'tombstone_template':
      return getTombstone(store, 'template', item.id);
  }
}
