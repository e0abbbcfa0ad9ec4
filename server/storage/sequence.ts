// The hub's change sequence: every stored change gets the next number, so a pull "since N" sees
// each change exactly once. Call inside the transaction that writes the rows.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { HubDatabase } from './schema';

/** Reserves `count` consecutive seqs and returns the first. */
export async function reserveSeqs(trx: Kysely<HubDatabase>, count: number): Promise<number> {
  const row = await trx
    .updateTable('sequence')
    .set({ value: sql`value + ${count}` })
    .where('name', '=', 'changes')
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value - count + 1;
}

export async function currentSeq(db: Kysely<HubDatabase>): Promise<number> {
  const row = await db
    .selectFrom('sequence')
    .select('value')
    .where('name', '=', 'changes')
    .executeTakeFirstOrThrow();
  return row.value;
}
