// Opening real database files: fresh install, upgrades from every earlier schema version, and
// the files we must refuse without changing a byte (someone else's file, a locked database).
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guestIdForRegistration } from '../../core/protocol/roster';
import { MIGRATIONS, LATEST_VERSION } from '../../core/store/migrations';
import {
  StoreError,
  databasePath,
  getGuest,
  openDatabase,
  openStore,
  openStoreFile,
  saveGuest,
} from '../../core/store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function schemaOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db
        .prepare(
          "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as { type: string; name: string; sql: string | null }[]
    ).map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
  } finally {
    db.close();
  }
}

function caught(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('a fresh install', () => {
  it('creates the data folder and the database at the latest version with the pragmas we rely on', () => {
    const dataDir = path.join(dir, 'nested', 'kiosk-data');
    const store = openStore(dataDir);
    try {
      expect(existsSync(databasePath(dataDir))).toBe(true);
      expect(store.schemaVersion).toBe(LATEST_VERSION);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
      const tables = store.db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .all() as { name: string; sql: string }[];
      expect(tables.map((t) => t.name).sort()).toEqual([
        'audit_log',
        'check_in',
        'entrance',
        'event',
        'face_template',
        'guest',
        'outbox',
        'setting',
        'sync_cursor',
        'tombstone',
      ]);
      for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT/);
      // STRICT really bites: text in an INTEGER column is refused, not stored.
      expect(() =>
        store.db
          .prepare(
            "INSERT INTO outbox (kind, entity_id, queued_at, attempts) VALUES ('guest', 'x', 't', 'many')",
          )
          .run(),
      ).toThrow(/cannot store TEXT value in INTEGER column/);
    } finally {
      store.close();
    }
  });

  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
    for (const m of MIGRATIONS)
      expect(m.name.startsWith(String(m.version).padStart(3, '0'))).toBe(true);
  });
});

describe('upgrades', () => {
  for (let from = 0; from < LATEST_VERSION; from++) {
    it(`upgrades a version-${from} database to the same schema as a fresh one, keeping its data`, () => {
      const fresh = path.join(dir, 'fresh.sqlite3');
      openDatabase(fresh).close();

      const old = path.join(dir, `v${from}.sqlite3`);
      const db = openDatabase(old, { targetVersion: from });
      expect(db.pragma('user_version', { simple: true })).toBe(from);
      if (from >= 1) {
        db.prepare(
          `INSERT INTO guest (id, registration_id, name, category, updated_at)
           VALUES ('g-old', 'R-OLD', '王小明', 'vip', '2026-01-01T00:00:00.000Z')`,
        ).run();
      }
      db.close();

      const store = openStoreFile(old);
      try {
        expect(store.schemaVersion).toBe(LATEST_VERSION);
        if (from >= 1) expect(getGuest(store, 'g-old')?.name).toBe('王小明');
      } finally {
        store.close();
      }
      expect(schemaOf(old)).toEqual(schemaOf(fresh));
    });
  }

  it('refuses a database from a newer app version and leaves it alone', () => {
    const file = path.join(dir, 'future.sqlite3');
    openDatabase(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    const err = caught(() => openStoreFile(file));
    expect(err.code).toBe('schema_too_new');
    expect(err.message).toMatch(/Update the app/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('files we must not touch', () => {
  it('refuses a file that is not a database, byte for byte unchanged', () => {
    const file = path.join(dir, 'kiosk.sqlite3');
    const content = Buffer.from('name,company\nAna,ACME\n'.repeat(400), 'utf8');
    writeFileSync(file, content);
    const err = caught(() => openStore(dir));
    expect(err.code).toBe('not_a_database');
    expect(err.file).toBe(file);
    expect(readFileSync(file).equals(content)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a tiny file too short to be SQLite', () => {
    const file = path.join(dir, 'kiosk.sqlite3');
    writeFileSync(file, 'SQLite');
    expect(caught(() => openStore(dir)).code).toBe('not_a_database');
    expect(readFileSync(file, 'utf8')).toBe('SQLite');
  });

  it('reports damage in a file with a SQLite header and garbage after it', () => {
    const file = path.join(dir, 'kiosk.sqlite3');
    const junk = Buffer.concat([
      Buffer.from('SQLite format 3\0', 'latin1'),
      Buffer.alloc(4080, 0x5a),
    ]);
    writeFileSync(file, junk);
    const err = caught(() => openStore(dir));
    expect(['corrupt', 'not_a_database']).toContain(err.code);
    expect(readFileSync(file).equals(junk)).toBe(true);
  });

  describe('a database locked by another process', () => {
    let child: ChildProcess | undefined;

    /**
     * A child process that locks the file and keeps the lock until killed: 'exclusive' shuts
     * every other connection out (even readers); 'write' holds the one write lock.
     */
    async function holdLock(file: string, kind: 'exclusive' | 'write'): Promise<ChildProcess> {
      const locker = path.join(dir, 'locker.cjs');
      writeFileSync(
        locker,
        `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new Database(${JSON.stringify(file)});
         if (${JSON.stringify(kind)} === 'exclusive') {
           db.pragma('locking_mode = EXCLUSIVE');
           db.exec('BEGIN EXCLUSIVE');
         } else {
           db.exec('BEGIN IMMEDIATE');
         }
         db.prepare('SELECT count(*) FROM guest').get();
         process.stdout.write('locked\\n');
         setInterval(() => {}, 1000);`,
      );
      const proc = spawn(process.execPath, [locker], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
        proc.on('exit', (code) => reject(new Error(`locker exited early (${code})`)));
      });
      return proc;
    }

    async function killed(proc: ChildProcess): Promise<void> {
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));
    }

    afterEach(() => {
      child?.kill('SIGKILL');
      child = undefined;
    });

    it('gets a clear "locked" error and nothing is overwritten', async () => {
      const store = openStore(dir);
      saveGuest(store, {
        registrationId: 'R1',
        name: 'Ana',
        nameLatin: null,
        organisation: null,
        category: 'attendee',
        entrances: [],
        language: null,
        consent: 'unknown',
        revoked: false,
      });
      store.close();
      const file = databasePath(dir);
      const before = readFileSync(file);

      child = await holdLock(file, 'exclusive');

      const err = caught(() => openStore(dir, { busyTimeoutMs: 150 }));
      expect(err.code).toBe('locked');
      expect(err.message).toMatch(/in use by another process/);
      expect(readFileSync(file).equals(before)).toBe(true);

      await killed(child);
      child = undefined;
      const again = openStore(dir);
      expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
      again.close();
    });

    it('a write while another process holds the lock is a typed error and changes nothing', async () => {
      const store = openStore(dir, { busyTimeoutMs: 150 });
      try {
        child = await holdLock(databasePath(dir), 'write');
        let err: unknown;
        try {
          saveGuest(store, {
            registrationId: 'R2',
            name: 'Bea',
            nameLatin: null,
            organisation: null,
            category: 'vip',
            entrances: [],
            language: null,
            consent: 'unknown',
            revoked: false,
          });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).code).toBe('locked');
        await killed(child);
        child = undefined;
        expect(getGuest(store, guestIdForRegistration('R2'))).toBeNull();
      } finally {
        store.close();
      }
    });
  });
});
