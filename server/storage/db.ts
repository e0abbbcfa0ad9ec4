// Opens the hub database (SQLite through Kysely's SqliteDialect) and brings its schema up to date.
// Everything above this file speaks Kysely only, so a PostgreSQL dialect can be swapped in here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations/index';
import type { HubDatabase } from './schema';

export type HubDb = Kysely<HubDatabase>;

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
}

export async function openHubDb(dataDir: string): Promise<HubDb> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(join(dataDir, 'hub.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged push survives a power cut, not just a killed process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<HubDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

async function migrate(db: HubDb): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new MigrationFailedError(
      `hub database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`,
    );
  }
}
