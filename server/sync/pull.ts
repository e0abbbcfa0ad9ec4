// One page of changes since a cursor, in hub seq order: the event, guests, templates, tombstones
// and the check-ins other devices made (a device already has its own). Two steps, both on
// indexes: find the page's last seq from the seq indexes alone, then read just the rows up to it,
// so a page costs O(page) however large the backlog and no row is read twice.
import type { Kysely } from 'kysely';
import type { Change, PullPage } from '../../core/protocol/sync';
import { HubError } from '../http/errors';
import type { HubDb } from '../storage/db';
import type { HubDatabase } from '../storage/schema';
import { currentSeq } from '../storage/sequence';
import { rowToCheckIn, rowToEvent, rowToGuest, rowToTemplate, rowToTombstone } from './rows';

type Trx = Kysely<HubDatabase>;
type Range = { since: number; upTo: number; deviceId: string };

async function seqsAfter(
  trx: Trx,
  since: number,
  take: number,
  deviceId: string,
): Promise<number[]> {
  const tables = ['event', 'guests', 'templates', 'tombstones'] as const;
  const lists = await Promise.all([
    ...tables.map((table) =>
      trx
        .selectFrom(table)
        .select('seq')
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(take)
        .execute(),
    ),
    trx
      .selectFrom('checkins')
      .select('seq')
      .where('seq', '>', since)
      .where('origin_device', '!=', deviceId)
      .orderBy('seq')
      .limit(take)
      .execute(),
  ]);
  return lists
    .flat()
    .map((r) => r.seq)
    .sort((a, b) => a - b);
}

async function rowsIn(trx: Trx, { since, upTo, deviceId }: Range): Promise<Change[]> {
  const [events, guests, templates, checkIns, tombstones] = await Promise.all([
    trx.selectFrom('event').selectAll().where('seq', '>', since).where('seq', '<=', upTo).execute(),
    trx
      .selectFrom('guests')
      .selectAll()
      .where('seq', '>', since)
      .where('seq', '<=', upTo)
      .execute(),
    trx
      .selectFrom('templates')
      .selectAll()
      .where('seq', '>', since)
      .where('seq', '<=', upTo)
      .execute(),
    trx
      .selectFrom('checkins')
      .selectAll()
      .where('seq', '>', since)
      .where('seq', '<=', upTo)
      .where('origin_device', '!=', deviceId)
      .execute(),
    trx
      .selectFrom('tombstones')
      .selectAll()
      .where('seq', '>', since)
      .where('seq', '<=', upTo)
      .execute(),
  ]);
  return [
    ...events.map((r): Change => ({ seq: r.seq, type: 'event', data: rowToEvent(r) })),
    ...guests.map((r): Change => ({ seq: r.seq, type: 'guest', data: rowToGuest(r) })),
    ...templates.map((r): Change => ({ seq: r.seq, type: 'template', data: rowToTemplate(r) })),
    ...checkIns.map((r): Change => ({ seq: r.seq, type: 'checkin', data: rowToCheckIn(r) })),
    ...tombstones.map((r): Change => ({ seq: r.seq, type: 'tombstone', data: rowToTombstone(r) })),
  ].sort((a, b) => a.seq - b.seq);
}

export async function readChanges(
  db: HubDb,
  request: { deviceId: string; since: number; limit: number },
): Promise<PullPage> {
  const { deviceId, since, limit } = request;
  // One transaction = one consistent snapshot across the tables and the sequence.
  return db.transaction().execute(async (trx) => {
    const latest = await currentSeq(trx);
    if (since > latest) {
      // A cursor this hub never gave out: the device last synced with another (or a reset) hub.
      throw new HubError(
        409,
        'cursor_ahead',
        `cursor ${since} is ahead of this hub (latest ${latest}); pull again from 0`,
      );
    }
    const seqs = await seqsAfter(trx, since, limit + 1, deviceId);
    const hasMore = seqs.length > limit;
    if (seqs.length === 0)
      return { changes: [], cursor: String(Math.max(since, latest)), hasMore: false };
    const upTo = hasMore ? seqs[limit - 1]! : seqs[seqs.length - 1]!;
    const changes = await rowsIn(trx, { since, upTo, deviceId });
    // With nothing more to read the cursor jumps to the latest seq, skipping this device's own
    // check-ins and superseded versions instead of rescanning them next time.
    const cursor = hasMore ? upTo : Math.max(upTo, latest);
    return { changes, cursor: String(cursor), hasMore };
  });
}
