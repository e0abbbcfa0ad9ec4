// Tombstones: the record that something was deleted, kept for sync after the data itself is gone.
import type { Tombstone } from '../protocol/sync';
import type { Store } from './store';

export type TombstoneEntity = Tombstone['entity'];

export function getTombstone(store: Store, entity: TombstoneEntity, id: string): Tombstone | null {
  const row = store
    .stmt('SELECT entity, id, deleted_at FROM tombstone WHERE entity = ? AND id = ?')
    .get(entity, id) as { entity: TombstoneEntity; id: string; deleted_at: string } | undefined;
  return row ? { entity: row.entity, id: row.id, deletedAt: row.deleted_at } : null;
}

export function putTombstone(store: Store, entity: TombstoneEntity, id: string, at: string): void {
  store
    .stmt(
      `INSERT INTO tombstone (entity, id, deleted_at) VALUES (?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)`,
    )
    .run(entity, id, at);
}

export function clearTombstone(store: Store, entity: TombstoneEntity, id: string): void {
  store.stmt('DELETE FROM tombstone WHERE entity = ? AND id = ?').run(entity, id);
}

export function listTombstones(store: Store): Tombstone[] {
  const rows = store
    .stmt('SELECT entity, id, deleted_at FROM tombstone ORDER BY deleted_at, entity, id')
    .all() as { entity: TombstoneEntity; id: string; deleted_at: string }[];
  return rows.map((r) => ({ entity: r.entity, id: r.id, deletedAt: r.deleted_at }));
}
