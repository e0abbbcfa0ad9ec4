// The ordered list of schema migrations. Each file is one version; PRAGMA user_version holds the
// last one applied. Never edit a released migration: add the next number.
import { sql as v1 } from './001-event-guests-checkins';
import { sql as v2 } from './002-sync';
import { sql as v3 } from './003-settings-audit';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001-event-guests-checkins', sql: v1 },
  { version: 2, name: '002-sync', sql: v2 },
  { version: 3, name: '003-settings-audit', sql: v3 },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
