// Mapping between wire records (core/protocol/sync.ts) and hub rows.
import type {
  CheckInRecord,
  EventInfo,
  GuestRecord,
  TemplateRecord,
  Tombstone,
} from '../../core/protocol/sync';
import type {
  CheckInsTable,
  EventTable,
  GuestsTable,
  TemplatesTable,
  TombstonesTable,
} from '../storage/schema';

export function guestToRow(g: GuestRecord, seq: number, origin: string | null): GuestsTable {
  return {
    id: g.id,
    registration_id: g.registrationId,
    name: g.name,
    name_latin: g.nameLatin,
    organisation: g.organisation,
    category: g.category,
    entrances_json: JSON.stringify(g.entrances),
    language: g.language,
    consent: g.consent,
    revoked: g.revoked ? 1 : 0,
    updated_at: g.updatedAt,
    seq,
    origin_device: origin,
  };
}

export function rowToGuest(r: GuestsTable): GuestRecord {
  return {
    id: r.id,
    registrationId: r.registration_id,
    name: r.name,
    nameLatin: r.name_latin,
    organisation: r.organisation,
    category: r.category as GuestRecord['category'],
    entrances: JSON.parse(r.entrances_json) as string[],
    language: r.language,
    consent: r.consent as GuestRecord['consent'],
    revoked: r.revoked === 1,
    updatedAt: r.updated_at,
  };
}

export function templateToRow(
  t: TemplateRecord,
  seq: number,
  origin: string | null,
): TemplatesTable {
  return {
    id: t.id,
    guest_id: t.guestId,
    descriptor: Buffer.from(t.descriptor, 'base64'),
    quality: t.quality,
    source: t.source,
    model_id: t.modelId,
    created_at: t.createdAt,
    seq,
    origin_device: origin,
  };
}

export function rowToTemplate(r: TemplatesTable): TemplateRecord {
  return {
    id: r.id,
    guestId: r.guest_id,
    descriptor: Buffer.from(r.descriptor).toString('base64'),
    quality: r.quality,
    source: r.source as TemplateRecord['source'],
    modelId: r.model_id,
    createdAt: r.created_at,
  };
}

export function rowToCheckIn(r: CheckInsTable): CheckInRecord {
  return {
    id: r.id,
    guestId: r.guest_id,
    entranceId: r.entrance_id,
    kioskId: r.kiosk_id,
    occurredAt: r.occurred_at,
    method: r.method as CheckInRecord['method'],
    distance: r.distance,
    staffId: r.staff_id,
    receivedAt: r.received_at,
    clockSkewMs: r.clock_skew_ms,
  };
}

export function rowToTombstone(r: TombstonesTable): Tombstone {
  return { entity: r.entity as Tombstone['entity'], id: r.id, deletedAt: r.deleted_at };
}

export function rowToEvent(r: EventTable): EventInfo {
  return {
    id: r.id,
    name: r.name,
    entrances: JSON.parse(r.entrances_json) as EventInfo['entrances'],
  };
}
