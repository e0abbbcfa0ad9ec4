// The check-in rules: one call, one transaction, one answer the screen can say out loud.
//   checked_in        first time at this event
//   welcome_back      already checked in (here, at another entrance, or on another kiosk)
//   not_allowed_here  this entrance is not one of theirs (and which ones are)
//   revoked           the registration was revoked
// Anything else (unknown guest, unknown entrance, a reused id) is a CheckInRefused error.
import { uuidv7 } from '../ids';
import {
  checkInSchema,
  type Category,
  type CheckInMethod,
  type CheckInRecord,
  type GuestRecord,
} from '../protocol/sync';
import { audit } from '../store/audit';
import { firstCheckInOf, getCheckIn, insertCheckIn } from '../store/checkins';
import { getEntrance } from '../store/event';
import { getGuest } from '../store/guests';
import type { Clock, Store } from '../store/store';
import { getTombstone } from '../store/tombstones';

export interface CheckInRequest {
  method: CheckInMethod;
  /** Entrance id of this kiosk. */
  entrance: string;
  /** Id of this kiosk. */
  kiosk: string;
  /** Face distance of the match (face method). */
  distance?: number | null;
  /** Staff member who confirmed it (required for manual check-ins). */
  staffId?: string | null;
  /** UUIDv7 made where it happened; a repeat with the same id changes nothing. */
  id?: string;
  /** When it happened (default: the clock). */
  at?: Date;
}

/** What the screen needs to greet a guest. */
export interface GuestCard {
  guestId: string;
  /** As written (any script). */
  name: string;
  nameLatin: string | null;
  organisation: string | null;
  category: Category;
  language: string | null;
}

export interface Place {
  id: string;
  name: string;
}

interface AnswerBase {
  guest: GuestCard;
  /** Where this answer was given. */
  entrance: Place;
  /** When (ISO-8601 UTC). */
  at: string;
}

export type CheckInAnswer =
  | (AnswerBase & { kind: 'checked_in'; checkInId: string })
  | (AnswerBase & {
      kind: 'welcome_back';
      /** Their first check-in: when, where, and on which kiosk. */
      first: { checkInId: string; at: string; entrance: Place; kioskId: string };
    })
  | (AnswerBase & { kind: 'not_allowed_here'; allowed: Place[] })
  | (AnswerBase & { kind: 'revoked' });

export type RefusalReason =
  | 'unknown_guest' // this kiosk has never heard of the guest id
  | 'guest_deleted' // the guest was deleted (tombstone)
  | 'unknown_entrance' // the kiosk's entrance is not an entrance of the event
  | 'id_reused' // the check-in id already belongs to another guest's check-in
  | 'staff_required' // a manual check-in needs a staff id
  | 'invalid_request'; // malformed id, kiosk id, distance, time

export class CheckInRefused extends Error {
  override readonly name = 'CheckInRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export function checkIn(
  store: Store,
  guestId: string,
  request: CheckInRequest,
  options: { clock?: Clock } = {},
): CheckInAnswer {
  const clock = options.clock ?? store.clock;
  const at = request.at ?? clock();
  if (Number.isNaN(at.getTime())) throw new CheckInRefused('invalid_request', 'invalid time');
  if (request.method === 'manual' && !request.staffId) {
    throw new CheckInRefused('staff_required', 'a manual check-in needs the staff member id');
  }
  const record = validRecord({
    id: request.id ?? uuidv7(at.getTime()),
    guestId,
    entranceId: request.entrance,
    kioskId: request.kiosk,
    occurredAt: at.toISOString(),
    method: request.method,
    distance: request.distance ?? null,
    staffId: request.staffId ?? null,
  });

  return store.write(() => {
    const guest = getGuest(store, guestId);
    if (!guest) {
      if (getTombstone(store, 'guest', guestId)) {
        throw new CheckInRefused('guest_deleted', `guest ${guestId} was deleted`);
      }
      throw new CheckInRefused('unknown_guest', `this kiosk has no guest ${guestId}`);
    }
    const card = cardOf(guest);
    const previous = getCheckIn(store, record.id);
    if (previous) return replay(store, card, previous);

    const entrance = getEntrance(store, record.entranceId);
    if (!entrance) {
      throw new CheckInRefused(
        'unknown_entrance',
        `entrance ${record.entranceId} is not an entrance of the event on this kiosk`,
      );
    }
    const base = { guest: card, entrance, at: record.occurredAt };
    if (guest.revoked) return { kind: 'revoked', ...base };
    if (guest.entrances.length > 0 && !guest.entrances.includes(entrance.id)) {
      return {
        kind: 'not_allowed_here',
        ...base,
        allowed: guest.entrances.map((id) => place(store, id)),
      };
    }
    const first = firstCheckInOf(store, guestId);
    if (first) return { kind: 'welcome_back', ...base, first: firstOf(store, first) };

    insertCheckIn(store, record, 'local');
    if (record.method === 'manual') {
      audit(store, 'checkin.manual', {
        staffId: record.staffId,
        subject: guestId,
        detail: { checkInId: record.id, entranceId: record.entranceId },
      });
    }
    return { kind: 'checked_in', ...base, checkInId: record.id };
  });
}

/** The same id again: answer as the first time, write nothing. */
function replay(store: Store, card: GuestCard, previous: CheckInRecord): CheckInAnswer {
  if (previous.guestId !== card.guestId) {
    throw new CheckInRefused(
      'id_reused',
      `check-in id ${previous.id} already belongs to another guest's check-in`,
    );
  }
  const base = {
    guest: card,
    entrance: place(store, previous.entranceId),
    at: previous.occurredAt,
  };
  const first = firstCheckInOf(store, card.guestId)!;
  if (first.id === previous.id) return { kind: 'checked_in', ...base, checkInId: previous.id };
  return { kind: 'welcome_back', ...base, first: firstOf(store, first) };
}

function validRecord(record: CheckInRecord): CheckInRecord {
  const result = checkInSchema.safeParse(record);
  if (result.success) return record;
  const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new CheckInRefused('invalid_request', `invalid check-in: ${detail}`);
}

function cardOf(guest: GuestRecord): GuestCard {
  return {
    guestId: guest.id,
    name: guest.name,
    nameLatin: guest.nameLatin,
    organisation: guest.organisation,
    category: guest.category,
    language: guest.language,
  };
}

/** An entrance by id, named as the event names it (its id when this kiosk does not know it). */
function place(store: Store, id: string): Place {
  return getEntrance(store, id) ?? { id, name: id };
}

function firstOf(store: Store, first: CheckInRecord) {
  return {
    checkInId: first.id,
    at: first.occurredAt,
    entrance: place(store, first.entranceId),
    kioskId: first.kioskId,
  };
}
