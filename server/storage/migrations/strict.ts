// SQLite STRICT tables reject values of the wrong type; PostgreSQL is strict already.
import { SqliteAdapter, sql } from 'kysely';
import type { CreateTableBuilder, Kysely } from 'kysely';

export function strictTable(db: Kysely<unknown>) {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends string, C extends string>(
    builder: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C> => (isSqlite ? builder.modifyEnd(sql`strict`) : builder);
}
