// v1: the event, its entrances, guests, face templates and check-ins.
// Times are ISO-8601 UTC text; descriptors are 128 little-endian float32 (512 bytes).
export const sql = /* sql */ `
CREATE TABLE event (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  id TEXT NOT NULL,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE entrance (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  position INTEGER NOT NULL
) STRICT;

CREATE TABLE guest (
  id TEXT PRIMARY KEY,
  registration_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_latin TEXT,
  organisation TEXT,
  category TEXT NOT NULL CHECK (category IN ('vip', 'speaker', 'press', 'staff', 'attendee')),
  -- JSON array of entrance ids; empty means every entrance.
  entrances TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(entrances) AND json_type(entrances) = 'array'),
  language TEXT,
  consent TEXT NOT NULL DEFAULT 'unknown' CHECK (consent IN ('unknown', 'granted', 'withdrawn')),
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE face_template (
  id TEXT PRIMARY KEY,
  guest_id TEXT NOT NULL REFERENCES guest (id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  quality REAL NOT NULL CHECK (quality >= 0 AND quality <= 1),
  source TEXT NOT NULL CHECK (source IN ('desk', 'preregistration', 'import')),
  model_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- SHA-256 of the photo file it was enrolled from (bulk enrolment resumes by it).
  photo_sha256 TEXT
) STRICT;
CREATE INDEX face_template_by_guest ON face_template (guest_id);
CREATE INDEX face_template_by_photo ON face_template (photo_sha256) WHERE photo_sha256 IS NOT NULL;

CREATE TABLE check_in (
  id TEXT PRIMARY KEY,
  guest_id TEXT NOT NULL REFERENCES guest (id) ON DELETE CASCADE,
  entrance_id TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('face', 'qr', 'manual')),
  distance REAL CHECK (distance IS NULL OR (distance >= 0 AND distance <= 10)),
  staff_id TEXT,
  received_at TEXT
) STRICT;
CREATE INDEX check_in_by_guest ON check_in (guest_id, occurred_at);
`;
