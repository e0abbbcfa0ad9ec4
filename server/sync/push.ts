// Applies one pushed batch in one transaction: all of it is stored, or none of it.
// Every item is idempotent by id, so a batch delivered twice (a retry after a lost reply, a hub
// killed between commit and reply) changes nothing the second time.
import type { Kysely } from 'kysely';
import type { PushBatch, PushResult } from '../../core/protocol/sync';
import { HubError } from '../http/errors';
import type { HubDb } from '../storage/db';
import type { CheckInsTable, HubDatabase } from '../storage/schema';
import { reserveSeqs } from '../storage/sequence';
import { guestToRow, templateToRow } from './rows';

export interface PushContext {
  deviceId: string;
  receivedAt: Date;
  /** Hub clock minus the device clock, measured on this request (0 when unknown). */
  clockSkewMs: number;
}

/** SQLite allows 32,766 bound variables per statement; stay well under it. */
const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Last occurrence wins when one batch names the same id twice. */
function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

async function existingIds(
  trx: Kysely<HubDatabase>,
  table: 'guests' | 'templates' | 'checkins',
  ids: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(ids, 900)) {
    const rows = await trx.selectFrom(table).select('id').where('id', 'in', part).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

async function tombstonesFor(
  trx: Kysely<HubDatabase>,
  entity: 'guest' | 'template',
  ids: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(ids, 900)) {
    const rows = await trx
      .selectFrom('tombstones')
      .select(['id', 'deleted_at'])
      .where('entity', '=', entity)
      .where('id', 'in', part)
      .execute();
    for (const row of rows) found.set(row.id, row.deleted_at);
  }
  return found;
}

export async function applyPush(
  db: HubDb,
  batch: PushBatch,
  ctx: PushContext,
  /** Runs in the same transaction (one commit, one fsync per push): e.g. the device's contact. */
  alsoInTransaction?: (trx: Kysely<HubDatabase>) => Promise<void>,
): Promise<PushResult> {
  const acknowledged = [
    ...batch.checkIns.map((c) => c.id),
    ...batch.guests.map((g) => g.id),
    ...batch.templates.map((t) => t.id),
    ...batch.deletions.map((d) => d.id),
  ];
  const duplicates = await db.transaction().execute(async (trx) => {
    let dupes = 0;
    dupes += await upsertGuests(trx, uniqueById(batch.guests), ctx);
    dupes += await insertTemplates(trx, uniqueById(batch.templates), ctx);
    dupes += await insertCheckIns(trx, uniqueById(batch.checkIns), ctx);
    dupes += await applyDeletions(trx, batch.deletions);
    await alsoInTransaction?.(trx);
    return dupes;
  });
  return { acknowledged: [...new Set(acknowledged)], duplicates };
}

export async function upsertGuests(
  trx: Kysely<HubDatabase>,
  guests: PushBatch['guests'],
  ctx: PushContext,
): Promise<number> {
  if (guests.length === 0) return 0;
  const ids = guests.map((g) => g.id);
  const tombstones = await tombstonesFor(trx, 'guest', ids);
  const stored = new Map<string, string>();
  for (const part of chunks(ids, 900)) {
    const rows = await trx
      .selectFrom('guests')
      .select(['id', 'updated_at'])
      .where('id', 'in', part)
      .execute();
    for (const row of rows) stored.set(row.id, row.updated_at);
  }
  // A guest deleted at or after this version stays deleted; an older version never overwrites a newer one.
  const fresh = guests.filter((g) => {
    const deletedAt = tombstones.get(g.id);
    if (deletedAt !== undefined && Date.parse(deletedAt) >= Date.parse(g.updatedAt)) return false;
    const storedAt = stored.get(g.id);
    return storedAt === undefined || Date.parse(storedAt) < Date.parse(g.updatedAt);
  });
  if (fresh.length === 0) return guests.length;
  const first = await reserveSeqs(trx, fresh.length);
  const rows = fresh.map((g, i) => guestToRow(g, first + i, ctx.deviceId));
  for (const part of chunks(rows)) {
    await trx
      .insertInto('guests')
      .values(part)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          registration_id: eb.ref('excluded.registration_id'),
          name: eb.ref('excluded.name'),
          name_latin: eb.ref('excluded.name_latin'),
          organisation: eb.ref('excluded.organisation'),
          category: eb.ref('excluded.category'),
          entrances_json: eb.ref('excluded.entrances_json'),
          language: eb.ref('excluded.language'),
          consent: eb.ref('excluded.consent'),
          revoked: eb.ref('excluded.revoked'),
          updated_at: eb.ref('excluded.updated_at'),
          seq: eb.ref('excluded.seq'),
          origin_device: eb.ref('excluded.origin_device'),
        })),
      )
      .execute();
  }
  // Consent withdrawn: the guest's faces go, here as on every kiosk that applies this version.
  const withdrawn = fresh.filter((g) => g.consent === 'withdrawn').map((g) => g.id);
  for (const part of chunks(withdrawn, 900)) {
    await trx.deleteFrom('templates').where('guest_id', 'in', part).execute();
  }
  const revived = fresh.filter((g) => tombstones.has(g.id)).map((g) => g.id);
  for (const part of chunks(revived, 900)) {
    await trx
      .deleteFrom('tombstones')
      .where('entity', '=', 'guest')
      .where('id', 'in', part)
      .execute();
  }
  return guests.length - fresh.length;
}

async function insertTemplates(
  trx: Kysely<HubDatabase>,
  templates: PushBatch['templates'],
  ctx: PushContext,
): Promise<number> {
  if (templates.length === 0) return 0;
  const ids = templates.map((t) => t.id);
  const already = await existingIds(trx, 'templates', ids);
  const deleted = await tombstonesFor(trx, 'template', ids);
  const deletedGuests = await tombstonesFor(trx, 'guest', [
    ...new Set(templates.map((t) => t.guestId)),
  ]);
  // Templates are immutable: a known id is a duplicate, a deleted id is never brought back,
  // and a template of a deleted guest is dropped (delete means delete).
  const fresh = templates.filter(
    (t) => !already.has(t.id) && !deleted.has(t.id) && !deletedGuests.has(t.guestId),
  );
  const guestIds = [...new Set(fresh.map((t) => t.guestId))];
  const knownGuests = await existingIds(trx, 'guests', guestIds);
  const withdrawn = new Set<string>();
  for (const part of chunks(guestIds, 900)) {
    const rows = await trx
      .selectFrom('guests')
      .select('id')
      .where('id', 'in', part)
      .where('consent', '=', 'withdrawn')
      .execute();
    for (const row of rows) withdrawn.add(row.id);
  }
  const unknown = guestIds.filter((id) => !knownGuests.has(id));
  if (unknown.length > 0) {
    throw new HubError(
      422,
      'unknown_guest',
      `templates refer to guests the hub does not know: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
    );
  }
  // No face is kept for a guest who withdrew consent.
  const keep = fresh.filter((t) => !withdrawn.has(t.guestId));
  if (keep.length === 0) return templates.length;
  const first = await reserveSeqs(trx, keep.length);
  const rows = keep.map((t, i) => templateToRow(t, first + i, ctx.deviceId));
  for (const part of chunks(rows, 200)) await trx.insertInto('templates').values(part).execute();
  return templates.length - keep.length;
}

async function insertCheckIns(
  trx: Kysely<HubDatabase>,
  checkIns: PushBatch['checkIns'],
  ctx: PushContext,
): Promise<number> {
  if (checkIns.length === 0) return 0;
  const already = await existingIds(
    trx,
    'checkins',
    checkIns.map((c) => c.id),
  );
  // A check-in of a deleted guest is dropped, as every kiosk drops it: delete means delete.
  const deletedGuests = await tombstonesFor(trx, 'guest', [
    ...new Set(checkIns.map((c) => c.guestId)),
  ]);
  const fresh = checkIns.filter((c) => !already.has(c.id) && !deletedGuests.has(c.guestId));
  if (fresh.length === 0) return checkIns.length;
  const first = await reserveSeqs(trx, fresh.length);
  const receivedAt = ctx.receivedAt.toISOString();
  const rows: CheckInsTable[] = fresh.map((c, i) => ({
    id: c.id,
    guest_id: c.guestId,
    entrance_id: c.entranceId,
    kiosk_id: c.kioskId,
    occurred_at: c.occurredAt,
    corrected_at: new Date(Date.parse(c.occurredAt) + ctx.clockSkewMs).toISOString(),
    clock_skew_ms: ctx.clockSkewMs,
    received_at: receivedAt,
    method: c.method,
    distance: c.distance,
    staff_id: c.staffId,
    origin_device: ctx.deviceId,
    seq: first + i,
  }));
  for (const part of chunks(rows)) {
    // ON CONFLICT guards the race the SELECT above cannot see in a multi-writer database.
    await trx
      .insertInto('checkins')
      .values(part)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  return checkIns.length - fresh.length;
}

async function applyDeletions(
  trx: Kysely<HubDatabase>,
  deletions: PushBatch['deletions'],
): Promise<number> {
  let duplicates = 0;
  for (const deletion of deletions) {
    const existing = await trx
      .selectFrom('tombstones')
      .select('id')
      .where('entity', '=', deletion.entity)
      .where('id', '=', deletion.id)
      .executeTakeFirst();
    // Delete means delete: the rows go (templates and check-ins with their guest, as on every
    // kiosk), a tombstone tells the kiosks.
    if (deletion.entity === 'guest') {
      await trx.deleteFrom('templates').where('guest_id', '=', deletion.id).execute();
      await trx.deleteFrom('checkins').where('guest_id', '=', deletion.id).execute();
      await trx.deleteFrom('guests').where('id', '=', deletion.id).execute();
    } else {
      await trx.deleteFrom('templates').where('id', '=', deletion.id).execute();
    }
    if (existing) {
      duplicates += 1;
      continue;
    }
    const seq = await reserveSeqs(trx, 1);
    await trx
      .insertInto('tombstones')
      .values({ entity: deletion.entity, id: deletion.id, deleted_at: deletion.deletedAt, seq })
      .execute();
  }
  return duplicates;
}
