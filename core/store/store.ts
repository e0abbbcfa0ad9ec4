// The Store: one writer connection, cached prepared statements, transactions, and change
// notifications delivered only after a commit (so the gallery never sees a rolled-back face).
import type Database from 'better-sqlite3';
import type { GuestId } from '../face/types';
import { resolveDataDir } from './data-dir';
import { databasePath, openDatabase, type OpenOptions } from './db';
import { explainSqliteError } from './errors';

/** Injectable clock: tests and the crash harness pin time; production uses the wall clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** What changed, announced after commit. */
export type StoreChange =
  | { type: 'event' }
  | { type: 'guest'; guestId: GuestId }
  | { type: 'guest_deleted'; guestId: GuestId }
  /** The set of face templates of this guest changed (added, deleted, or the guest is gone). */
  | { type: 'faces'; guestId: GuestId }
  | { type: 'checkin'; checkInId: string; guestId: GuestId };

export type ChangeListener = (changes: readonly StoreChange[]) => void;

export interface StoreOptions extends OpenOptions {
  clock?: Clock;
  /** Called when a change listener throws (the write itself has committed by then). */
  onListenerError?: (err: unknown) => void;
}

export class Store {
  readonly clock: Clock;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new Set<ChangeListener>();
  private pending: StoreChange[] = [];
  private biometricDeleted = false;
  private depth = 0;
  private closed = false;

  constructor(
    readonly db: Database.Database,
    readonly file: string,
    private readonly options: StoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Now as ISO-8601 UTC text, from the injected clock. */
  now(): string {
    return this.clock().toISOString();
  }

  /** A cached prepared statement. */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Run fn in one IMMEDIATE transaction (nested calls join the outer one). Changes recorded
   * with announce() reach listeners only after the outermost commit, never after a rollback.
   */
  write<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth = 1;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.pending = [];
      this.biometricDeleted = false;
      // Busy, full disk, damaged file: a typed StoreError; rule errors pass through unchanged.
      throw explainSqliteError(err, this.file) ?? err;
    } finally {
      this.depth = 0;
    }
    const changes = this.pending;
    this.pending = [];
    if (this.biometricDeleted) {
      this.biometricDeleted = false;
      // Old page images of deleted descriptors may still sit in the WAL file: fold it into the
      // (zeroed) main file and truncate it, so deleted faces are not left on disk.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    if (changes.length > 0) this.emit(dedupe(changes));
    return result;
  }

  /** Record a change to announce after the current transaction commits. */
  announce(change: StoreChange): void {
    if (this.depth === 0) throw new Error('announce() outside a write transaction');
    this.pending.push(change);
  }

  /** Mark that this transaction deletes biometric data (checkpoint after commit). */
  markBiometricDeletion(): void {
    this.biometricDeleted = true;
  }

  /** Subscribe to committed changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.statements.clear();
    this.db.close();
  }

  private emit(changes: StoreChange[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(changes);
      } catch (err) {
        (this.options.onListenerError ?? defaultListenerError)(err);
      }
    }
  }
}

function defaultListenerError(err: unknown): void {
  console.error('store change listener failed:', err);
}

function dedupe(changes: StoreChange[]): StoreChange[] {
  const seen = new Set<string>();
  const out: StoreChange[] = [];
  for (const change of changes) {
    const key = JSON.stringify(change);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(change);
  }
  return out;
}

/** Open the store at a database file. */
export function openStoreFile(file: string, options: StoreOptions = {}): Store {
  return new Store(openDatabase(file, options), file, options);
}

/** Open (creating on first run) the store in a data folder. */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  return openStoreFile(databasePath(dataDir), options);
}

/** Open the store where the command line / environment / OS default says. */
export function openStoreFromArgs(
  argv: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
  options: StoreOptions = {},
): Store {
  return openStore(resolveDataDir(argv, env, process.platform), options);
}
