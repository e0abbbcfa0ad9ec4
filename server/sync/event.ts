// The event (name, entrances): one row, re-sent to kiosks whenever it changes.
import type { EventInfo } from '../../core/protocol/sync';
import type { HubDb } from '../storage/db';
import { reserveSeqs } from '../storage/sequence';

export async function saveEvent(db: HubDb, event: EventInfo): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const seq = await reserveSeqs(trx, 1);
    await trx.deleteFrom('event').execute();
    await trx
      .insertInto('event')
      .values({
        id: event.id,
        name: event.name,
        entrances_json: JSON.stringify(event.entrances),
        seq,
      })
      .execute();
  });
}
