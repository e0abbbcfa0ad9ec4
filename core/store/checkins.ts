// Check-in rows: local ones (queued for the hub) and remote ones pulled from it.
// The rules deciding whether a check-in happens live in core/checkin/.
import type { CheckInRecord } from '../protocol/sync';
import { enqueue } from './outbox';
import type { Store } from './store';

interface CheckInRow {
  id: string;
  guest_id: string;
  entrance_id: string;
  kiosk_id: string;
  occurred_at: string;
  method: CheckInRecord['method'];
  distance: number | null;
  staff_id: string | null;
  received_at: string | null;
}

const COLUMNS =
  'id, guest_id, entrance_id, kiosk_id, occurred_at, method, distance, staff_id, received_at';

function fromRow(row: CheckInRow): CheckInRecord {
  const record: CheckInRecord = {
    id: row.id,
    guestId: row.guest_id,
    entranceId: row.entrance_id,
    kioskId: row.kiosk_id,
    occurredAt: row.occurred_at,
    method: row.method,
    distance: row.distance,
    staffId: row.staff_id,
  };
  if (row.received_at !== null) record.receivedAt = row.received_at;
  return record;
}

export function getCheckIn(store: Store, id: string): CheckInRecord | null {
  const row = store.stmt(`SELECT ${COLUMNS} FROM check_in WHERE id = ?`).get(id) as
    CheckInRow | undefined;
  return row ? fromRow(row) : null;
}

/** The guest's first check-in anywhere (this kiosk or pulled from the hub), or null. */
export function firstCheckInOf(store: Store, guestId: string): CheckInRecord | null {
  const row = store
    .stmt(`SELECT ${COLUMNS} FROM check_in WHERE guest_id = ? ORDER BY occurred_at, id LIMIT 1`)
    .get(guestId) as CheckInRow | undefined;
  return row ? fromRow(row) : null;
}

export function listCheckIns(store: Store, guestId: string): CheckInRecord[] {
  const rows = store
    .stmt(`SELECT ${COLUMNS} FROM check_in WHERE guest_id = ? ORDER BY occurred_at, id`)
    .all(guestId) as CheckInRow[];
  return rows.map(fromRow);
}

export function countCheckIns(store: Store): number {
  return (store.stmt('SELECT count(*) AS n FROM check_in').get() as { n: number }).n;
}

/** Insert a check-in (inside a transaction); a local one is queued for the hub. */
export function insertCheckIn(
  store: Store,
  record: CheckInRecord,
  origin: 'local' | 'remote',
): void {
  store
    .stmt(`INSERT INTO check_in (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(
      record.id,
      record.guestId,
      record.entranceId,
      record.kioskId,
      record.occurredAt,
      record.method,
      record.distance,
      record.staffId,
      record.receivedAt ?? null,
    );
  if (origin === 'local') enqueue(store, 'checkin', record.id);
  store.announce({ type: 'checkin', checkInId: record.id, guestId: record.guestId });
}

/** The hub's receipt time for a check-in we already hold. */
export function setReceivedAt(store: Store, id: string, receivedAt: string): void {
  store
    .stmt('UPDATE check_in SET received_at = ? WHERE id = ? AND received_at IS NULL')
    .run(receivedAt, id);
}

/** Every check-in id held here (for checkInChecksum against the hub). */
export function allCheckInIds(store: Store): string[] {
  return store.stmt('SELECT id FROM check_in ORDER BY id').pluck().all() as string[];
}
