// Bulk enrolment from a folder of pre-registration photos named by registration id (R1234.jpg).
// Each photo gets one result. Detection runs a couple of photos ahead (the engine's workers);
// decisions and writes happen one photo at a time in file order, so a photo is compared with
// every face enrolled before it, including earlier photos of this run.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Nearest } from '../face/matcher';
import { MATCH_THRESHOLDS } from '../face/thresholds';
import type {
  DetectedFace,
  DetectionResult,
  GalleryWriter,
  ImageInput,
  QualityReason,
} from '../face/types';
import type { DetectOptions } from '../face/pipeline';
import type { GuestRecord } from '../protocol/sync';
import { audit } from '../store/audit';
import { getGuest, getGuestByRegistrationId } from '../store/guests';
import type { Store } from '../store/store';
import {
  addTemplate,
  findTemplateByPhoto,
  listTemplates,
  removeTemplate,
} from '../store/templates';

export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];
export const DEFAULT_MODEL_ID = 'face-api-1.7.15';

/** What enrolment needs from the face engine (FaceEngine fits). */
export interface PhotoDetector {
  detect(input: ImageInput, opts?: DetectOptions): Promise<DetectionResult>;
}

/** The matcher's gallery, kept in step with the store (bindGallery), asked for look-alikes. */
export interface LookalikeGallery extends GalleryWriter {
  nearest(descriptor: Float32Array): Nearest;
}

export interface GuestName {
  guestId: string;
  registrationId: string;
  name: string;
}

export type PhotoResult = { file: string; registrationId: string } & (
  | { status: 'enrolled'; guest: GuestName; templateId: string; score: number; replaced: number }
  | { status: 'already_enrolled'; guest: GuestName; templateId: string }
  | { status: 'no_face' }
  | { status: 'several_faces'; count: number }
  | { status: 'low_quality'; reasons: QualityReason[] }
  | { status: 'unknown_guest' }
  | { status: 'consent_withdrawn'; guest: GuestName }
  /** The face is closer than the match threshold to another guest's: both named, nothing stored. */
  | { status: 'lookalike'; guest: GuestName; other: GuestName; distance: number }
  | { status: 'unreadable'; reason: string }
  | { status: 'failed'; reason: string }
);

export type PhotoStatus = PhotoResult['status'];

export interface EnrolOptions {
  engine: PhotoDetector;
  gallery: LookalikeGallery;
  modelId?: string;
  /** A face closer than this to another guest is a look-alike (default: the match threshold). */
  lookalikeDistance?: number;
  staffId?: string | null;
  /** Photos being detected at once (default 2: one per engine worker). */
  concurrency?: number;
  onResult?: (result: PhotoResult, done: number, total: number) => void;
}

export interface EnrolReport {
  results: PhotoResult[];
  counts: Record<PhotoStatus, number>;
}

/** The photo files of a folder, by name (hidden files and other extensions are not photos). */
export async function listPhotos(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .filter((e) => PHOTO_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export type PhotoAnalysis =
  | { kind: 'face'; face: DetectedFace }
  | { kind: 'no_face' }
  | { kind: 'several_faces'; count: number }
  | { kind: 'low_quality'; reasons: QualityReason[] }
  | { kind: 'unreadable'; reason: string };

const UNREADABLE = new Set([
  'empty_input',
  'unsupported_format',
  'corrupt_image',
  'image_too_large',
]);

/**
 * One photo through the engine, as enrolment judges it: tight ID-style crops are retried with
 * padding (padToFindTightCrop), exactly one face, acceptable quality.
 */
export async function analysePhoto(
  engine: PhotoDetector,
  bytes: Uint8Array,
): Promise<PhotoAnalysis> {
  let result: DetectionResult;
  try {
    result = await engine.detect({ kind: 'encoded', data: bytes }, { padToFindTightCrop: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && UNREADABLE.has(code)) return { kind: 'unreadable', reason: (err as Error).message };
    throw err;
  }
  if (result.faces.length === 0) return { kind: 'no_face' };
  if (result.faces.length > 1) return { kind: 'several_faces', count: result.faces.length };
  const face = result.faces[0]!;
  const reasons = enrolmentReasons(face, result.width, result.height);
  if (reasons.length > 0) return { kind: 'low_quality', reasons };
  return { kind: 'face', face };
}

/** Landmarks 27..67 of the 68-point model: nose, eyes, mouth (0..16 jaw line, 17..26 brows). */
const INNER_FACE_FROM = 27;

/**
 * The engine's quality verdict, read for pre-registration photos: an ID-style crop cuts the jaw
 * line, chin, brow ends or hair by design, which the engine calls partly_out_of_frame. Here the
 * inner face (eyes, nose, mouth: what alignment and the descriptor rest on) must lie inside the
 * photo; every other reason stands.
 */
export function enrolmentReasons(
  face: DetectedFace,
  width: number,
  height: number,
): QualityReason[] {
  const reasons: QualityReason[] = face.quality.reasons.filter((r) => r !== 'partly_out_of_frame');
  const inner = face.landmarks.slice(INNER_FACE_FROM);
  const innerCut =
    inner.length === 0 || inner.some((p) => p.x < 0 || p.y < 0 || p.x >= width || p.y >= height);
  if (innerCut) reasons.push('partly_out_of_frame');
  return reasons;
}

interface Prepared {
  file: string;
  registrationId: string;
  sha256: string;
  analysis: PhotoAnalysis | null; // null: not analysed (unknown guest or already enrolled)
  error?: string;
}

export async function enrolPhotos(
  store: Store,
  dir: string,
  options: EnrolOptions,
): Promise<EnrolReport> {
  const files = await listPhotos(dir);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const results: PhotoResult[] = [];

  const prepare = async (file: string): Promise<Prepared> => {
    const registrationId = path.basename(file, path.extname(file)).trim();
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, file));
    } catch (err) {
      return {
        file,
        registrationId,
        sha256: '',
        analysis: { kind: 'unreadable', reason: (err as Error).message },
      };
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const base = { file, registrationId, sha256 };
    // Cheap checks first: no detection for a photo we would not store anyway.
    const guest = findGuest(store, registrationId);
    if (!guest || alreadyEnrolled(store, guest, sha256)) return { ...base, analysis: null };
    try {
      return { ...base, analysis: await analysePhoto(options.engine, bytes) };
    } catch (err) {
      return { ...base, analysis: null, error: (err as Error).message };
    }
  };

  const pending = files.slice(0, concurrency).map(prepare);
  for (let i = 0; i < files.length; i++) {
    const prepared = await pending[i]!;
    if (i + concurrency < files.length) pending.push(prepare(files[i + concurrency]!));
    const result = decide(store, prepared, options);
    results.push(result);
    options.onResult?.(result, i + 1, files.length);
  }

  const counts = countByStatus(results);
  if (counts.enrolled > 0) {
    audit(store, 'photos.enrol', {
      staffId: options.staffId ?? null,
      subject: path.basename(dir),
      detail: { ...counts },
    });
  }
  return { results, counts };
}

/** Exact registration id first, then ignoring case (file systems and people vary). */
function findGuest(store: Store, registrationId: string): GuestRecord | null {
  const exact = getGuestByRegistrationId(store, registrationId);
  if (exact) return exact;
  const ids = store
    .stmt('SELECT id FROM guest WHERE registration_id = ? COLLATE NOCASE LIMIT 2')
    .pluck()
    .all(registrationId) as string[];
  return ids.length === 1 ? getGuest(store, ids[0]!) : null;
}

function alreadyEnrolled(store: Store, guest: GuestRecord, sha256: string) {
  const template = findTemplateByPhoto(store, sha256);
  return template && template.guestId === guest.id ? template : null;
}

function nameOf(guest: GuestRecord): GuestName {
  return { guestId: guest.id, registrationId: guest.registrationId, name: guest.name };
}

function decide(store: Store, prepared: Prepared, options: EnrolOptions): PhotoResult {
  const { file, registrationId, sha256, analysis } = prepared;
  const base = { file, registrationId };
  if (analysis?.kind === 'unreadable')
    return { ...base, status: 'unreadable', reason: analysis.reason };
  const guest = findGuest(store, registrationId);
  if (!guest) return { ...base, status: 'unknown_guest' };
  const done = alreadyEnrolled(store, guest, sha256);
  if (done)
    return { ...base, status: 'already_enrolled', guest: nameOf(guest), templateId: done.id };
  if (guest.consent === 'withdrawn')
    return { ...base, status: 'consent_withdrawn', guest: nameOf(guest) };
  if (prepared.error !== undefined || analysis === null) {
    return { ...base, status: 'failed', reason: prepared.error ?? 'the photo was not analysed' };
  }
  switch (analysis.kind) {
    case 'no_face':
      return { ...base, status: 'no_face' };
    case 'several_faces':
      return { ...base, status: 'several_faces', count: analysis.count };
    case 'low_quality':
      return { ...base, status: 'low_quality', reasons: analysis.reasons };
    case 'face':
      break;
  }
  const { face } = analysis;
  const threshold = options.lookalikeDistance ?? MATCH_THRESHOLDS.maxDistance;
  const nearest = options.gallery.nearest(face.descriptor);
  const other = [nearest.best, nearest.second].find((n) => n && n.guestId !== guest.id);
  if (other && other.distance < threshold) {
    const otherGuest = getGuest(store, other.guestId);
    if (otherGuest) {
      return {
        ...base,
        status: 'lookalike',
        guest: nameOf(guest),
        other: nameOf(otherGuest),
        distance: other.distance,
      };
    }
  }
  // A new photo of this guest replaces their earlier pre-registration photo, in one transaction.
  const { templateId, replaced } = store.write(() => {
    const old = listTemplates(store, guest.id).filter((t) => t.source === 'preregistration');
    for (const t of old) removeTemplate(store, t, store.now(), 'local');
    const added = addTemplate(
      store,
      {
        guestId: guest.id,
        descriptor: face.descriptor,
        quality: Math.max(0, Math.min(1, face.score)),
        source: 'preregistration',
        modelId: options.modelId ?? DEFAULT_MODEL_ID,
        photoSha256: sha256,
      },
      { staffId: options.staffId ?? null },
    );
    return { templateId: added.id, replaced: old.length };
  });
  return {
    ...base,
    status: 'enrolled',
    guest: nameOf(guest),
    templateId,
    score: face.score,
    replaced,
  };
}

export const PHOTO_STATUSES: readonly PhotoStatus[] = [
  'enrolled',
  'already_enrolled',
  'no_face',
  'several_faces',
  'low_quality',
  'unknown_guest',
  'consent_withdrawn',
  'lookalike',
  'unreadable',
  'failed',
];

function countByStatus(results: PhotoResult[]): Record<PhotoStatus, number> {
  const counts = Object.fromEntries(PHOTO_STATUSES.map((s) => [s, 0])) as Record<
    PhotoStatus,
    number
  >;
  for (const r of results) counts[r.status]++;
  return counts;
}
