// v2: what sync needs: tombstones of deleted guests/faces, the outbox of local changes not yet
// acknowledged by the hub, and the pull cursor.
export const sql = /* sql */ `
CREATE TABLE tombstone (
  entity TEXT NOT NULL CHECK (entity IN ('guest', 'template')),
  id TEXT NOT NULL,
  deleted_at TEXT NOT NULL,
  PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

-- Outbox rows point at the current row (never a copy of it), so a deleted face leaves no
-- descriptor behind here and a guest edited twice is pushed once, as it is now.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('checkin', 'guest', 'template', 'tombstone_guest', 'tombstone_template')),
  entity_id TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, entity_id)
) STRICT;

CREATE TABLE sync_cursor (
  peer TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;
