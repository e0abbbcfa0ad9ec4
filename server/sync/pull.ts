// One page of changes since a cursor, in hub seq order: the event, guests, templates, tombstones
// and the check-ins other devices made (a device already has its own). Each table is read with
// its own indexed "seq > since LIMIT n" and the results merged, so a page costs O(n) however
// large the backlog.
import type { Change, PullPage } from '../../core/protocol/sync';
import type { HubDb } from '../storage/db';
import { currentSeq } from '../storage/sequence';
import { rowToCheckIn, rowToEvent, rowToGuest, rowToTemplate, rowToTombstone } from './rows';

export async function readChanges(
  db: HubDb,
  request: { deviceId: string; since: number; limit: number },
): Promise<PullPage> {
  const { deviceId, since, limit } = request;
  // One transaction = one consistent snapshot across the five tables and the sequence.
  return db.transaction().execute(async (trx) => {
    const take = limit + 1;
    const [events, guests, templates, checkIns, tombstones, latest] = await Promise.all([
      trx
        .selectFrom('event')
        .selectAll()
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(take)
        .execute(),
      trx
        .selectFrom('guests')
        .selectAll()
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(take)
        .execute(),
      trx
        .selectFrom('templates')
        .selectAll()
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(take)
        .execute(),
      trx
        .selectFrom('checkins')
        .selectAll()
        .where('seq', '>', since)
        .where('origin_device', '!=', deviceId)
        .orderBy('seq')
        .limit(take)
        .execute(),
      trx
        .selectFrom('tombstones')
        .selectAll()
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(take)
        .execute(),
      currentSeq(trx),
    ]);
    const all: Change[] = [
      ...events.map((r): Change => ({ seq: r.seq, type: 'event', data: rowToEvent(r) })),
      ...guests.map((r): Change => ({ seq: r.seq, type: 'guest', data: rowToGuest(r) })),
      ...templates.map((r): Change => ({ seq: r.seq, type: 'template', data: rowToTemplate(r) })),
      ...checkIns.map((r): Change => ({ seq: r.seq, type: 'checkin', data: rowToCheckIn(r) })),
      ...tombstones.map((r): Change => ({
        seq: r.seq,
        type: 'tombstone',
        data: rowToTombstone(r),
      })),
    ].sort((a, b) => a.seq - b.seq);
    const hasMore = all.length > limit;
    const changes = hasMore ? all.slice(0, limit) : all;
    // With nothing more to read the cursor jumps to the latest seq, skipping this device's own
    // check-ins and superseded versions instead of rescanning them next time.
    const cursor = hasMore ? changes[changes.length - 1]!.seq : Math.max(since, latest);
    return { changes, cursor: String(cursor), hasMore };
  });
}
