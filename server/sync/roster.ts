// Roster upload on the hub, with the kiosk store's own rules (core/protocol/roster.ts): the same
// CSV parsing, the same guest id per registration id, the same merge (columns absent from the
// file keep their stored value), all-or-nothing unless bad rows may be skipped, and a re-upload
// of the same file changes nothing. Changed guests get new seqs and reach every kiosk.
import {
  guestIdForRegistration,
  mergeRosterRow,
  registrationConflict,
  parseRoster,
  type ColumnMapping,
  type RosterRowError,
} from '../../core/protocol/roster';
import { guestSchema, type EventInfo, type GuestRecord } from '../../core/protocol/sync';
import type { HubDb } from '../storage/db';
import { rowToEvent, rowToGuest } from './rows';
import { upsertGuests } from './push';

export interface HubRosterSummary {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RosterRowError[];
}

export class HubRosterRejected extends Error {
  override readonly name = 'HubRosterRejected';
  constructor(readonly errors: RosterRowError[]) {
    super(
      `${errors.length} bad row${errors.length === 1 ? '' : 's'}; nothing was imported: ` +
        errors
          .slice(0, 10)
          .map((e) => `line ${e.line}: ${e.message}`)
          .join('; ') +
        (errors.length > 10 ? ` … and ${errors.length - 10} more` : ''),
    );
  }
}

const CHUNK = 900;

export async function importRosterOnHub(
  db: HubDb,
  input: Uint8Array,
  options: { mapping?: ColumnMapping; skipBad: boolean; now: Date; origin: string },
): Promise<HubRosterSummary> {
  const eventRow = await db.selectFrom('event').selectAll().executeTakeFirst();
  const entrances: EventInfo['entrances'] = eventRow ? rowToEvent(eventRow).entrances : [];
  // Throws RosterFormatError for a malformed file (mapped to a 400 by the route).
  const parsed = parseRoster(input, {
    entrances,
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
  const summary: HubRosterSummary = {
    rows: parsed.rows.length + parsed.errors.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    errors: [...parsed.errors],
  };
  if (summary.errors.length > 0 && !options.skipBad)
    throw new HubRosterRejected(sortByLine(summary.errors));

  await db.transaction().execute(async (trx) => {
    const registrationIds = parsed.rows.map((r) => r.registrationId);
    const byRegistration = new Map<string, GuestRecord>();
    const byId = new Map<string, GuestRecord>();
    const ids = parsed.rows.map((r) => guestIdForRegistration(r.registrationId));
    for (let i = 0; i < registrationIds.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('guests')
        .selectAll()
        .where('registration_id', 'in', registrationIds.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) byRegistration.set(row.registration_id, rowToGuest(row));
      const sameIds = await trx
        .selectFrom('guests')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute();
      for (const row of sameIds) byId.set(row.id, rowToGuest(row));
    }
    const updatedAt = options.now.toISOString(); // one time for the whole upload, as on a kiosk
    const changed: GuestRecord[] = [];
    for (const row of parsed.rows) {
      const id = guestIdForRegistration(row.registrationId);
      const holder = byRegistration.get(row.registrationId);
      if (holder && holder.id !== id) {
        summary.errors.push(registrationConflict(row, holder.id));
        continue;
      }
      const existing = holder ?? byId.get(id) ?? null;
      const merged = guestSchema.parse({ ...mergeRosterRow(row, id, existing), updatedAt });
      if (existing && sameContent(existing, merged)) {
        summary.unchanged++;
        continue;
      }
      if (existing) summary.updated++;
      else summary.inserted++;
      changed.push(merged);
    }
    if (summary.errors.length > parsed.errors.length && !options.skipBad) {
      throw new HubRosterRejected(sortByLine(summary.errors)); // rolls the transaction back
    }
    await upsertGuests(trx, changed, {
      deviceId: options.origin,
      receivedAt: options.now,
      clockSkewMs: 0,
    });
  });
  summary.errors = sortByLine(summary.errors);
  return summary;
}

function sameContent(a: GuestRecord, b: GuestRecord): boolean {
  const { updatedAt: _a, ...x } = a;
  const { updatedAt: _b, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
}

function sortByLine(errors: RosterRowError[]): RosterRowError[] {
  return [...errors].sort((a, b) => a.line - b.line);
}
