// Wire format between kiosks/desks and the hub (/v1). Shared by core/sync (client) and server/ (hub):
// the only module family the hub may import from core. Every body is validated with these schemas.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const DESCRIPTOR_LENGTH = 128;
/** Limits that keep a hostile or broken peer from exhausting the hub or a kiosk. */
export const LIMITS = {
  maxBatchItems: 5_000,
  maxPullPage: 5_000,
  maxBodyBytes: 16 * 1024 * 1024,
  maxText: 500,
} as const;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits and . _ : - only');
const text = z.string().max(LIMITS.maxText);
/** The id rule of every entity (guests, templates, entrances, devices). */
export const idSchema = id;
const isoTime = z.iso.datetime({ offset: true });

export const categorySchema = z.enum(['vip', 'speaker', 'press', 'staff', 'attendee']);
export const consentSchema = z.enum(['unknown', 'granted', 'withdrawn']);
export const checkInMethodSchema = z.enum(['face', 'qr', 'manual']);
export const templateSourceSchema = z.enum(['desk', 'preregistration', 'import']);

export const entranceSchema = z.object({ id, name: text });
export const eventSchema = z.object({
  id,
  name: text,
  entrances: z.array(entranceSchema).max(500),
});

export const guestSchema = z.object({
  id,
  registrationId: text.min(1),
  name: text.min(1),
  nameLatin: text.nullable(),
  organisation: text.nullable(),
  category: categorySchema,
  /** Entrance ids this guest may use; empty means every entrance. */
  entrances: z.array(id).max(500),
  language: z.string().max(16).nullable(),
  consent: consentSchema,
  revoked: z.boolean(),
  updatedAt: isoTime,
});

/**
 * A 128-float descriptor as base64 of little-endian float32 (684 characters). Checked by a
 * native decode/re-encode round trip (canonical base64 only), several times faster than a regex
 * over 684 characters, which matters when a first pull validates 360,000 of them.
 */
export const descriptorB64Schema = z
  .string()
  .length(684)
  .refine((s) => Buffer.from(s, 'base64').toString('base64') === s, 'not canonical base64');

export const templateSchema = z.object({
  id,
  guestId: id,
  descriptor: descriptorB64Schema,
  quality: z.number().min(0).max(1),
  source: templateSourceSchema,
  modelId: z.string().max(64),
  createdAt: isoTime,
});

export const checkInSchema = z.object({
  /** UUIDv7 made where the check-in happened: the idempotency key everywhere. */
  id: z.uuid(),
  guestId: id,
  entranceId: id,
  kioskId: id,
  /** The kiosk's clock when it happened (may be off by minutes). */
  occurredAt: isoTime,
  method: checkInMethodSchema,
  distance: z.number().min(0).max(10).nullable(),
  staffId: id.nullable(),
  /** Set by the hub on receipt; ignored in a push. */
  receivedAt: isoTime.optional(),
  /** Set by the hub: hub clock minus the pushing kiosk's clock at push time (ms); ignored in a push. */
  clockSkewMs: z.number().int().optional(),
});

export const tombstoneSchema = z.object({
  entity: z.enum(['guest', 'template']),
  id,
  deletedAt: isoTime,
});

export const pushBatchSchema = z.strictObject({
  checkIns: z.array(checkInSchema).max(LIMITS.maxBatchItems).default([]),
  guests: z.array(guestSchema).max(LIMITS.maxBatchItems).default([]),
  templates: z.array(templateSchema).max(LIMITS.maxBatchItems).default([]),
  deletions: z.array(tombstoneSchema).max(LIMITS.maxBatchItems).default([]),
});

export const pushResultSchema = z.object({
  /** Ids the hub now holds (new or already there): the client may drop them from its outbox. */
  acknowledged: z.array(z.string()),
  /** Items that changed nothing: already held, older than the hub's version, or of a deleted guest. */
  duplicates: z.number().int().min(0),
});

export const changeSchema = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int(), type: z.literal('event'), data: eventSchema }),
  z.object({ seq: z.number().int(), type: z.literal('guest'), data: guestSchema }),
  z.object({ seq: z.number().int(), type: z.literal('template'), data: templateSchema }),
  z.object({ seq: z.number().int(), type: z.literal('checkin'), data: checkInSchema }),
  z.object({ seq: z.number().int(), type: z.literal('tombstone'), data: tombstoneSchema }),
]);

export const pullPageSchema = z.object({
  changes: z.array(changeSchema),
  /** Opaque cursor to pass as `since` next time. */
  cursor: z.string(),
  hasMore: z.boolean(),
});

/** Headers a device sends with every push and pull (the dashboard shows them per device). */
export const HEADERS = {
  /** Items still waiting in the device's outbox, not counting the ones in this push. */
  outboxSize: 'x-outbox-size',
  /** The device's clock (ISO time) when it sent the request: lets the hub estimate its skew. */
  deviceTime: 'x-device-time',
} as const;

export const deviceKindSchema = z.enum(['kiosk', 'desk']);

/** Opaque to clients: a decimal hub sequence number. */
export const cursorSchema = z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a cursor is a number');

export const pullQuerySchema = z.strictObject({
  since: cursorSchema.default('0'),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxPullPage).default(1_000),
});

export const pairRequestSchema = z.strictObject({
  code: z.string().min(1).max(64),
  name: text.min(1),
});

export const pairResponseSchema = z.object({
  deviceId: id,
  kind: deviceKindSchema,
  entranceId: id.nullable(),
  /** Shown once: the hub keeps only its SHA-256. Send as `Authorization: Bearer <token>`. */
  token: z.string(),
});

export const createPairingCodeSchema = z.strictObject({
  kind: deviceKindSchema,
  label: text.default(''),
  entranceId: id.nullable().default(null),
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});

export const pairingCodeCreatedSchema = z.object({
  id,
  /** Shown once: the hub keeps only its SHA-256. */
  code: z.string(),
  expiresAt: isoTime,
});

export const errorBodySchema = z.object({ error: z.string(), message: z.string() });

export type Category = z.infer<typeof categorySchema>;
export type Consent = z.infer<typeof consentSchema>;
export type CheckInMethod = z.infer<typeof checkInMethodSchema>;
export type TemplateSource = z.infer<typeof templateSourceSchema>;
export type Entrance = z.infer<typeof entranceSchema>;
export type EventInfo = z.infer<typeof eventSchema>;
export type GuestRecord = z.infer<typeof guestSchema>;
export type TemplateRecord = z.infer<typeof templateSchema>;
export type CheckInRecord = z.infer<typeof checkInSchema>;
export type Tombstone = z.infer<typeof tombstoneSchema>;
export type PushBatch = z.infer<typeof pushBatchSchema>;
export type PushResult = z.infer<typeof pushResultSchema>;
export type Change = z.infer<typeof changeSchema>;
export type PullPage = z.infer<typeof pullPageSchema>;
export type DeviceKind = z.infer<typeof deviceKindSchema>;
export type PullQuery = z.infer<typeof pullQuerySchema>;
export type PairRequest = z.infer<typeof pairRequestSchema>;
export type PairResponse = z.infer<typeof pairResponseSchema>;
export type CreatePairingCode = z.input<typeof createPairingCodeSchema>;
export type PairingCodeCreated = z.infer<typeof pairingCodeCreatedSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function encodeDescriptor(descriptor: Float32Array): string {
  if (descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new RangeError(`a descriptor has ${DESCRIPTOR_LENGTH} floats, got ${descriptor.length}`);
  }
  const bytes = new Uint8Array(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength);
  return Buffer.from(bytes).toString('base64');
}

export function decodeDescriptor(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== DESCRIPTOR_LENGTH * 4) {
    throw new RangeError(`a descriptor is ${DESCRIPTOR_LENGTH * 4} bytes, got ${bytes.length}`);
  }
  const out = new Float32Array(DESCRIPTOR_LENGTH);
  new Uint8Array(out.buffer).set(bytes);
  if (!out.every(Number.isFinite)) throw new RangeError('a descriptor holds a non-finite number');
  return out;
}

/** SHA-256 over the sorted check-in ids: hub and kiosks agree on it when they hold the same set. */
export function checkInChecksum(ids: Iterable<string>): string {
  const hash = createHash('sha256');
  for (const id of [...new Set(ids)].sort()) hash.update(id + '\n');
  return hash.digest('hex');
}
