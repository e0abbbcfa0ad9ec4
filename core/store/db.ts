// Opening the kiosk database: checks before touching the file, pragmas, and numbered migrations.
// Nothing here writes to a file that is not already a SQLite database of ours (or a fresh one).
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE } from './data-dir';
import { StoreError, explainSqliteError } from './errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

export interface OpenOptions {
  /** How long to wait for another connection's lock before failing with code 'locked'. */
  busyTimeoutMs?: number;
  /** Apply migrations only up to this version (tests of upgrades from an older schema). */
  targetVersion?: number;
  /**
   * FULL (default) makes every acknowledged commit survive a power cut, not only a crash;
   * NORMAL is faster and still survives a killed process in WAL mode.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/** Open (or create) a database file and bring its schema to the latest version. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const target = options.targetVersion ?? LATEST_VERSION;
  ensureFolder(path.dirname(file));
  refuseForeignFile(file);

  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // Reading the schema version first makes SQLite parse the header: a damaged or locked file
    // fails here, before any pragma below could write to it.
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > LATEST_VERSION) {
      throw new StoreError(
        'schema_too_new',
        `${file} has schema version ${found}; this app knows up to ${LATEST_VERSION}. Update the app.`,
        file,
      );
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new StoreError('locked', `could not switch ${file} to WAL mode (got ${mode})`, file);
    }
    db.pragma('foreign_keys = ON');
    // Deleted rows (face templates) are overwritten with zeros, not just unlinked.
    db.pragma('secure_delete = ON');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    migrate(db, file, target);
    return db;
  } catch (err) {
    db?.close();
    throw explainSqliteError(err, file) ?? err;
  }
}

/** Apply the missing migrations in one IMMEDIATE transaction (also proves we can write). */
function migrate(db: Database.Database, file: string, target: number): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue;
      try {
        db.exec(migration.sql);
      } catch (err) {
        throw (
          explainSqliteError(err, file) ??
          new StoreError(
            'migration_failed',
            `migration ${migration.name} failed on ${file}: ${(err as Error).message}`,
            file,
            { cause: err },
          )
        );
      }
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function ensureFolder(dir: string): void {
  try {
    // Faces are biometric data: the folder is private to the user running the kiosk.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StoreError(
      'cannot_open',
      `cannot create the data folder ${dir}: ${(err as Error).message}`,
      dir,
      { cause: err },
    );
  }
}

/** A non-empty file without the SQLite header is someone else's: refuse before opening it. */
function refuseForeignFile(file: string): void {
  if (!existsSync(file)) return;
  const stat = statSync(file);
  if (!stat.isFile()) {
    throw new StoreError('cannot_open', `${file} exists and is not a regular file`, file);
  }
  if (stat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const read = readSync(fd, header, 0, header.length, 0);
    if (read < header.length || !header.equals(SQLITE_HEADER)) {
      throw new StoreError(
        'not_a_database',
        `${file} is not a SQLite database; refusing to open or change it`,
        file,
      );
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError('cannot_open', `cannot read ${file}: ${(err as Error).message}`, file, {
      cause: err,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
