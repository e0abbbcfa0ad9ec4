// Row shapes of the hub database, as Kysely sees them. Written for SQLite now and PostgreSQL
// later: only portable column types (text, integer, real, blob/bytea), times as ISO-8601 text.
import type { Generated } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SequenceTable {
  name: string;
  value: number;
}

export interface PairingCodesTable {
  id: string;
  code_hash: string;
  /** Last characters of the code, so an organiser can tell codes apart on the dashboard. */
  hint: string;
  kind: string;
  label: string;
  entrance_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_device: string | null;
}

export interface DevicesTable {
  id: string;
  name: string;
  kind: string;
  entrance_id: string | null;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  backlog: number | null;
  clock_skew_ms: number | null;
  revoked_at: string | null;
}

export interface EventTable {
  id: string;
  name: string;
  entrances_json: string;
  seq: number;
}

export interface GuestsTable {
  id: string;
  registration_id: string;
  name: string;
  name_latin: string | null;
  organisation: string | null;
  category: string;
  entrances_json: string;
  language: string | null;
  consent: string;
  revoked: number;
  updated_at: string;
  seq: number;
  origin_device: string | null;
}

export interface TemplatesTable {
  id: string;
  guest_id: string;
  descriptor: Uint8Array;
  quality: number;
  source: string;
  model_id: string;
  created_at: string;
  seq: number;
  origin_device: string | null;
}

export interface CheckInsTable {
  id: string;
  guest_id: string;
  entrance_id: string;
  kiosk_id: string;
  /** The kiosk's clock. */
  occurred_at: string;
  /** occurred_at moved by the kiosk's measured skew: the hub's best guess of when it happened. */
  corrected_at: string;
  clock_skew_ms: number;
  received_at: string;
  method: string;
  distance: number | null;
  staff_id: string | null;
  origin_device: string;
  seq: number;
}

export interface TombstonesTable {
  entity: string;
  id: string;
  deleted_at: string;
  seq: number;
}

export interface HubDatabase {
  settings: SettingsTable;
  sequence: SequenceTable;
  pairing_codes: PairingCodesTable;
  devices: DevicesTable;
  event: EventTable;
  guests: GuestsTable;
  templates: TemplatesTable;
  checkins: CheckInsTable;
  tombstones: TombstonesTable;
}

export type { Generated };
