// Face templates: 128-float descriptors stored as 512-byte BLOBs. Deleting one removes the row
// (secure_delete zeroes its page) and leaves only a tombstone.
import {
  DESCRIPTOR_LENGTH,
  decodeDescriptor,
  encodeDescriptor,
  templateSchema,
  type TemplateRecord,
  type TemplateSource,
} from '../protocol/sync';
import { uuidv7 } from '../ids';
import { audit } from './audit';
import { StoreError, validated } from './errors';
import { dequeue, enqueue } from './outbox';
import type { Store } from './store';
import { getTombstone, putTombstone } from './tombstones';

export const DESCRIPTOR_BYTES = DESCRIPTOR_LENGTH * 4;

/** A template without its descriptor: what lists and screens may show. */
export interface TemplateInfo {
  id: string;
  guestId: string;
  quality: number;
  source: TemplateSource;
  modelId: string;
  createdAt: string;
  photoSha256: string | null;
}

export interface NewTemplate {
  guestId: string;
  descriptor: Float32Array;
  quality: number;
  source: TemplateSource;
  modelId: string;
  id?: string;
  createdAt?: string;
  photoSha256?: string | null;
}

export function descriptorToBlob(descriptor: Float32Array): Buffer {
  if (descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new StoreError(
      'invalid',
      `a descriptor has ${DESCRIPTOR_LENGTH} floats, got ${descriptor.length}`,
    );
  }
  if (!descriptor.every(Number.isFinite)) {
    throw new StoreError('invalid', 'a descriptor holds a non-finite number');
  }
  return Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength);
}

/** Copy a BLOB into a fresh (aligned) Float32Array. */
export function blobToDescriptor(blob: Uint8Array): Float32Array {
  const out = new Float32Array(DESCRIPTOR_LENGTH);
  new Uint8Array(out.buffer).set(blob.subarray(0, DESCRIPTOR_BYTES));
  return out;
}

interface TemplateRow {
  id: string;
  guest_id: string;
  quality: number;
  source: TemplateSource;
  model_id: string;
  created_at: string;
  photo_sha256: string | null;
}

const INFO_COLUMNS = 'id, guest_id, quality, source, model_id, created_at, photo_sha256';

function infoFromRow(row: TemplateRow): TemplateInfo {
  return {
    id: row.id,
    guestId: row.guest_id,
    quality: row.quality,
    source: row.source,
    modelId: row.model_id,
    createdAt: row.created_at,
    photoSha256: row.photo_sha256,
  };
}

export function listTemplates(store: Store, guestId: string): TemplateInfo[] {
  const rows = store
    .stmt(`SELECT ${INFO_COLUMNS} FROM face_template WHERE guest_id = ? ORDER BY created_at, id`)
    .all(guestId) as TemplateRow[];
  return rows.map(infoFromRow);
}

export function getTemplateInfo(store: Store, id: string): TemplateInfo | null {
  const row = store.stmt(`SELECT ${INFO_COLUMNS} FROM face_template WHERE id = ?`).get(id) as
    TemplateRow | undefined;
  return row ? infoFromRow(row) : null;
}

export function findTemplateByPhoto(store: Store, photoSha256: string): TemplateInfo | null {
  const row = store
    .stmt(`SELECT ${INFO_COLUMNS} FROM face_template WHERE photo_sha256 = ? LIMIT 1`)
    .get(photoSha256) as TemplateRow | undefined;
  return row ? infoFromRow(row) : null;
}

export function countTemplates(store: Store): number {
  return (store.stmt('SELECT count(*) AS n FROM face_template').get() as { n: number }).n;
}

/** The descriptors of one guest, oldest first (for the gallery). */
export function descriptorsOf(store: Store, guestId: string): Float32Array[] {
  const rows = store
    .stmt('SELECT descriptor FROM face_template WHERE guest_id = ? ORDER BY created_at, id')
    .raw(true)
    .all(guestId) as [Buffer][];
  return rows.map(([blob]) => blobToDescriptor(blob));
}

/** The wire form (descriptor as base64) for a push. */
export function getTemplateRecord(store: Store, id: string): TemplateRecord | null {
  const row = store
    .stmt(
      'SELECT id, guest_id, descriptor, quality, source, model_id, created_at FROM face_template WHERE id = ?',
    )
    .get(id) as (TemplateRow & { descriptor: Buffer }) | undefined;
  if (!row) return null;
  return {
    id: row.id,
    guestId: row.guest_id,
    descriptor: encodeDescriptor(blobToDescriptor(row.descriptor)),
    quality: row.quality,
    source: row.source,
    modelId: row.model_id,
    createdAt: row.created_at,
  };
}

/** Enrol a face made on this machine (desk, bulk enrolment). Queued for the hub. */
export function addTemplate(
  store: Store,
  input: NewTemplate,
  options: { staffId?: string | null } = {},
): TemplateInfo {
  const blob = descriptorToBlob(input.descriptor);
  return store.write(() => {
    const guest = store.stmt('SELECT consent FROM guest WHERE id = ?').get(input.guestId) as
      { consent: string } | undefined;
    if (!guest) throw new StoreError('invalid', `no guest ${input.guestId} to add a face to`);
    if (guest.consent === 'withdrawn') {
      throw new StoreError(
        'conflict',
        `guest ${input.guestId} has withdrawn consent: no face may be stored`,
      );
    }
    const info: TemplateInfo = {
      id: input.id ?? uuidv7(store.clock().getTime()),
      guestId: input.guestId,
      quality: input.quality,
      source: input.source,
      modelId: input.modelId,
      createdAt: input.createdAt ?? store.now(),
      photoSha256: input.photoSha256 ?? null,
    };
    validated(
      templateSchema.omit({ descriptor: true }),
      {
        id: info.id,
        guestId: info.guestId,
        quality: info.quality,
        source: info.source,
        modelId: info.modelId,
        createdAt: info.createdAt,
      },
      'face template',
    );
    insertTemplateRow(store, info, blob);
    enqueue(store, 'template', info.id);
    audit(store, 'template.add', {
      staffId: options.staffId ?? null,
      subject: info.guestId,
      detail: { templateId: info.id, source: info.source },
    });
    store.announce({ type: 'faces', guestId: info.guestId });
    return info;
  });
}

export function insertTemplateRow(store: Store, info: TemplateInfo, blob: Buffer): void {
  store
    .stmt(
      `INSERT INTO face_template (id, guest_id, descriptor, quality, source, model_id, created_at, photo_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      info.id,
      info.guestId,
      blob,
      info.quality,
      info.source,
      info.modelId,
      info.createdAt,
      info.photoSha256,
    );
}

/** A pulled template (inside applyChanges' transaction). Returns whether it was stored. */
export function applyRemoteTemplate(
  store: Store,
  record: TemplateRecord,
): 'stored' | 'exists' | 'deleted' | 'unknown_guest' | 'consent_withdrawn' {
  if (getTombstone(store, 'template', record.id)) return 'deleted';
  if (getTemplateInfo(store, record.id)) return 'exists';
  const guest = store.stmt('SELECT consent FROM guest WHERE id = ?').get(record.guestId) as
    { consent: string } | undefined;
  if (!guest) return 'unknown_guest';
  if (guest.consent === 'withdrawn') return 'consent_withdrawn';
  const descriptor = decodeDescriptor(record.descriptor);
  insertTemplateRow(
    store,
    {
      id: record.id,
      guestId: record.guestId,
      quality: record.quality,
      source: record.source,
      modelId: record.modelId,
      createdAt: new Date(record.createdAt).toISOString(),
      photoSha256: null,
    },
    descriptorToBlob(descriptor),
  );
  store.announce({ type: 'faces', guestId: record.guestId });
  return 'stored';
}

/** Delete one face template now (row and BLOB gone), leaving a tombstone. False if absent. */
export function deleteTemplate(
  store: Store,
  id: string,
  options: { staffId?: string | null } = {},
): boolean {
  return store.write(() => {
    const info = getTemplateInfo(store, id);
    if (!info) return false;
    removeTemplate(store, info, store.now(), 'local');
    audit(store, 'template.delete', {
      staffId: options.staffId ?? null,
      subject: info.guestId,
      detail: { templateId: id },
    });
    return true;
  });
}

export function removeTemplate(
  store: Store,
  info: Pick<TemplateInfo, 'id' | 'guestId'>,
  deletedAt: string,
  origin: 'local' | 'remote',
): void {
  store.stmt('DELETE FROM face_template WHERE id = ?').run(info.id);
  store.markBiometricDeletion();
  dequeue(store, 'template', info.id);
  putTombstone(store, 'template', info.id, deletedAt);
  if (origin === 'local') enqueue(store, 'tombstone_template', info.id);
  store.announce({ type: 'faces', guestId: info.guestId });
}

/** Delete every template of a guest (inside a transaction). Returns how many. */
export function deleteTemplatesOfGuest(
  store: Store,
  guestId: string,
  options: { origin: 'local' | 'remote'; deletedAt?: string },
): number {
  const ids = store
    .stmt('SELECT id FROM face_template WHERE guest_id = ?')
    .pluck()
    .all(guestId) as string[];
  const at = options.deletedAt ?? store.now();
  for (const id of ids) removeTemplate(store, { id, guestId }, at, options.origin);
  return ids.length;
}
