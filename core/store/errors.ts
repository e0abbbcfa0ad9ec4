// Every way opening or writing the store can fail, as a typed error the UI and scripts can name.

export type StoreErrorCode =
  | 'locked' // another process holds the database
  | 'not_a_database' // the file exists but is not SQLite
  | 'corrupt' // SQLite says the file is damaged
  | 'schema_too_new' // written by a newer version of this app
  | 'cannot_open' // permissions, missing folder we could not create, read-only medium
  | 'migration_failed'
  | 'invalid' // a record that breaks the wire schema or a store rule
  | 'conflict'; // a write that contradicts what the store holds

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

/** Turn a better-sqlite3 error into a StoreError when it is one we can explain. */
export function explainSqliteError(err: unknown, file: string): StoreError | undefined {
  if (err instanceof StoreError) return err;
  const code = String((err as SqliteLikeError | null)?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'locked',
      `the database ${file} is in use by another process (is another kiosk app running?)`,
      file,
      { cause: err },
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return new StoreError('not_a_database', `${file} is not a SQLite database`, file, {
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `the database ${file} is damaged`, file, { cause: err });
  }
  if (code === 'SQLITE_FULL') {
    return new StoreError('cannot_open', `the disk holding ${file} is full`, file, { cause: err });
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_IOERR') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return new StoreError('cannot_open', `cannot open or write ${file} (${code})`, file, {
      cause: err,
    });
  }
  return undefined;
}

/** Validate with a zod schema and turn failures into one readable StoreError('invalid'). */
export function validated<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new StoreError('invalid', `invalid ${what}: ${detail}`);
}
