// Matching maths as small pure functions: distances, the open-set decision, and the int8
// quantisation (with its proven error bound) that the fast scan in matcher.ts relies on.
import type { GuestId, IdentifyResult } from './types';
import { MatcherError } from './matcher-errors';

/** face-api's FaceRecognitionNet descriptor length. */
export const DESCRIPTOR_LENGTH = 128;

/** Open-set acceptance rule: both numbers are Euclidean distances between descriptors. */
export interface MatchThresholds {
  /** Accept only when the best guest is strictly closer than this. */
  maxDistance: number;
  /** …and the next-best OTHER guest is at least this much further away. */
  minMargin: number;
}

export function assertThresholds(t: MatchThresholds): void {
  const ok =
    Number.isFinite(t.maxDistance) &&
    t.maxDistance > 0 &&
    Number.isFinite(t.minMargin) &&
    t.minMargin >= 0;
  if (!ok) {
    throw new MatcherError(
      'bad_thresholds',
      `thresholds need maxDistance > 0 and minMargin >= 0 (finite); got maxDistance=${t.maxDistance}, minMargin=${t.minMargin}`,
    );
  }
}

/** Throws a MatcherError unless `d` is a finite Float32Array of DESCRIPTOR_LENGTH. Never echoes values. */
export function assertDescriptor(d: unknown, what = 'descriptor'): asserts d is Float32Array {
  if (!(d instanceof Float32Array)) {
    throw new MatcherError('bad_descriptor', `${what} must be a Float32Array`);
  }
  if (d.length !== DESCRIPTOR_LENGTH) {
    throw new MatcherError(
      'bad_descriptor',
      `${what} must have ${DESCRIPTOR_LENGTH} components, got ${d.length}`,
    );
  }
  if (!isFiniteDescriptor(d)) {
    throw new MatcherError('non_finite_descriptor', `${what} has a non-finite component`);
  }
}

/** All components finite? One pass: a float32 squared is far below the double range, so the sum
 * of squares is finite exactly when every component is. */
export function isFiniteDescriptor(d: Float32Array): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += d[i]! * d[i]!;
  return Number.isFinite(sum);
}

/**
 * Squared Euclidean distance between `query` and the vector stored at `data[offset..offset+128)`.
 * The one exact distance: the exact scan and the fast path's re-rank both call it, so their
 * answers are bit-identical.
 */
export function squaredDistanceAt(query: Float32Array, data: Float32Array, offset: number): number {
  let sum = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    const diff = query[i]! - data[offset + i]!;
    sum += diff * diff;
  }
  return sum;
}

export function euclideanDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new MatcherError('bad_descriptor', `length mismatch: ${a.length} vs ${b.length}`);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = a[i]! - b[i]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * The best guest and the best OTHER guest seen so far (squared distances, guests as small ints).
 * Ties keep the guest seen first, so any scan order that visits slots in ascending order agrees.
 */
export interface TopTwo {
  best: number;
  bestSq: number;
  second: number;
  secondSq: number;
}

export function emptyTopTwo(): TopTwo {
  return { best: -1, bestSq: Infinity, second: -1, secondSq: Infinity };
}

/** Offer one vector (owned by `guest`, at squared distance `sq`) to the running top two. */
export function offerTopTwo(top: TopTwo, guest: number, sq: number): void {
  if (guest === top.best) {
    if (sq < top.bestSq) top.bestSq = sq;
  } else if (sq < top.bestSq) {
    top.second = top.best;
    top.secondSq = top.bestSq;
    top.best = guest;
    top.bestSq = sq;
  } else if (sq < top.secondSq) {
    top.second = guest;
    top.secondSq = sq;
  }
}

/** Open-set decision from the two nearest guests (Euclidean distances; Infinity when absent). */
export function decide(
  best: { guestId: GuestId; distance: number } | null,
  second: { guestId: GuestId; distance: number } | null,
  t: MatchThresholds,
): IdentifyResult {
  if (best === null || !(best.distance < t.maxDistance)) {
    return { kind: 'unknown', bestDistance: best === null ? Infinity : best.distance };
  }
  const secondDistance = second === null ? Infinity : second.distance;
  if (second !== null && secondDistance - best.distance < t.minMargin) {
    return { kind: 'ambiguous', candidates: [best, second] };
  }
  return { kind: 'match', guestId: best.guestId, distance: best.distance, secondDistance };
}

// --- int8 quantisation with a proven error bound -------------------------------------------------
//
// Gallery vector x is stored as codes c (int8) with a per-vector scale s: x_i = s*c_i + e_i,
// |e_i| <= s*(1/2 + δ), δ = CODE_ROUNDING_EXCESS covering the kernel's f32 rounding (this file's
// quantiser rounds in f64: δ ≈ 0). The query q is stored as codes r (int16) with scale t:
// q_i = t*r_i + f_i, |f_i| <= t/2. Then q·x = s*t*(r·c) + s*Σ f_i c_i + Σ q_i e_i, so
//   |q·x - s*t*(r·c)| <= s*(1/2 + δ)*||q||_1 + (s*||c||_1/2)*t
//                    <= (s/2)*((1 + 2δ)*||q||_1 + 127*128*t).
// With ||q - x||² = ||q||² + ||x||² - 2 q·x, the approximate squared distance is off by at most
// twice that (plus a tiny slack for double rounding). Candidates whose lower bound cannot beat the
// best two guests' upper bounds are skipped; the rest are re-ranked exactly.

export const GALLERY_CODE_MAX = 127;
/** Extra rounding allowed per code, in units of s: the kernel rounds x·(1/s) in f32, off by at most
 * 127·2·2⁻²⁴ ≈ 1.5e-5 before rounding to the nearest integer. */
export const CODE_ROUNDING_EXCESS = 2e-5;
export const QUERY_CODE_MAX = 32767;
/**
 * Covers double rounding in the exact and the approximate sums. Both are sums of terms no larger
 * than about 2·(||q||² + ||x||²), with relative rounding error under 128·2⁻⁵³ ≈ 1.4e-14, so
 * 1e-13·(||q||² + max ||x||²) bounds it with room to spare; the constant covers tiny vectors.
 */
export function roundingSlack(querySquaredNorm: number, maxGallerySquaredNorm: number): number {
  return 1e-9 + 1e-13 * (querySquaredNorm + maxGallerySquaredNorm);
}

export interface VectorCodeStats {
  /** s: x_i ≈ s * c_i. Zero for the zero vector. */
  scale: number;
  /** ||x||² of the float vector. */
  squaredNorm: number;
}

/** Upper bound on ||c||_1 of any gallery codes; using it instead of the exact sum loosens the
 * bound's second (query-rounding) term, which is ~1% of the total, and saves a slow pass. */
export const GALLERY_CODE_L1_MAX = GALLERY_CODE_MAX * DESCRIPTOR_LENGTH;

/**
 * max |x_i| over `src[offset..+128)`, or NaN when a component is not finite. The one pass the
 * matcher makes over a new descriptor before storing it (validation and quantisation scale).
 */
export function maxAbsOrNaN(src: Float32Array, offset = 0): number {
  let maxAbs = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    const a = Math.abs(src[offset + i]!);
    // Rarely taken (a new maximum, or NaN, for which every comparison is false): cheap to predict.
    if (!(a <= maxAbs)) {
      if (a !== a || a === Infinity) return NaN;
      maxAbs = a;
    }
  }
  return maxAbs;
}

/**
 * Quantise `src[srcOffset..+128)` into int8 codes at `dst[dstOffset..+128)`, given its
 * maxAbsOrNaN() (finite). One pass, two elements per step (two independent sums run faster).
 * Rounds half up by truncating a positive number: much faster than Math.round here.
 */
export function quantiseGalleryVector(
  src: Float32Array,
  srcOffset: number,
  maxAbs: number,
  dst: Int8Array,
  dstOffset: number,
): VectorCodeStats {
  const scale = maxAbs / GALLERY_CODE_MAX;
  const inverse = scale === 0 ? 0 : 1 / scale;
  const shift = GALLERY_CODE_MAX + 1;
  let sq0 = 0;
  let sq1 = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i += 2) {
    const v = src[srcOffset + i]!;
    const w = src[srcOffset + i + 1]!;
    sq0 += v * v;
    sq1 += w * w;
    dst[dstOffset + i] = ((v * inverse + (shift + 0.5)) | 0) - shift;
    dst[dstOffset + i + 1] = ((w * inverse + (shift + 0.5)) | 0) - shift;
  }
  return { scale, squaredNorm: sq0 + sq1 };
}

export interface QueryCodeStats {
  scale: number;
  l1: number;
  squaredNorm: number;
}

/** Quantise the query into int16 codes (dst has DESCRIPTOR_LENGTH entries). */
export function quantiseQuery(q: Float32Array, dst: Int16Array): QueryCodeStats {
  let maxAbs = 0;
  let l1 = 0;
  let squaredNorm = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    const v = q[i]!;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    l1 += a;
    squaredNorm += v * v;
  }
  const scale = maxAbs / QUERY_CODE_MAX;
  const inverse = scale === 0 ? 0 : 1 / scale;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    dst[i] = ((q[i]! * inverse + (QUERY_CODE_MAX + 1.5)) | 0) - (QUERY_CODE_MAX + 1);
  }
  return { scale, l1, squaredNorm };
}

/** Bound on |approximate − exact| squared distance for one gallery vector (see the note above),
 * with ||c||_1 <= GALLERY_CODE_L1_MAX; `slack` from roundingSlack(). */
export function squaredDistanceErrorBound(
  vectorScale: number,
  query: QueryCodeStats,
  slack: number,
): number {
  return vectorScale * errorFactor(query) + slack;
}

/** K in |approx − exact| <= s·K + slack: the per-query part of the bound. */
export function errorFactor(query: QueryCodeStats): number {
  return (1 + 2 * CODE_ROUNDING_EXCESS) * query.l1 + GALLERY_CODE_L1_MAX * query.scale;
}
