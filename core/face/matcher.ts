// The gallery and open-set identification.
//
// Storage: every descriptor of every guest lives in ONE contiguous Float32Array (slot v at
// v*128). A guest owns a few slots; removing one moves the last slot into the hole (swap-remove),
// so the array stays dense, nothing is rebuilt, and growth is amortised (capacity doubles).
//
// Identification has two paths with the SAME answers:
//  - identifyExact(): the reference, a plain float scan over every slot.
//  - identify(): int8 codes of every slot, scanned by a WebAssembly SIMD kernel, give each slot an
//    approximate squared distance with a proven error bound (distance.ts). Only slots whose lower
//    bound could still beat the best two guests are re-ranked with the exact float distance, in slot
//    order, so ties resolve exactly as in the full scan. Falls back to the exact scan where
//    WebAssembly SIMD is missing.
import type { GalleryWriter, GuestId, IdentifyResult } from './types';
import type { MatchThresholds, TopTwo } from './distance';
import {
  DESCRIPTOR_LENGTH,
  assertDescriptor,
  assertThresholds,
  decide,
  emptyTopTwo,
  maxAbsOrNaN,
  offerTopTwo,
  quantiseGalleryVector,
  quantiseQuery,
  squaredDistanceAt,
  errorFactor,
  roundingSlack,
} from './distance';
import { MatcherError } from './matcher-errors';
import { FloatStore } from './matcher-storage';
import { SCRATCH_VECTORS, ScanKernel, simdKernelAvailable } from './matcher-kernel';
import { MATCH_THRESHOLDS } from './thresholds';

export interface MatcherOptions {
  /** Defaults to MATCH_THRESHOLDS (calibrated, see thresholds.ts). */
  thresholds?: MatchThresholds;
  /** Use the WebAssembly SIMD fast path when available (default true). */
  fast?: boolean;
  /** Vectors to make room for up front (the store knows its count at start-up). */
  initialCapacity?: number;
}

/** The two nearest guests, for callers that need more than the decision (eval, diagnostics). */
export interface Nearest {
  best: { guestId: GuestId; distance: number } | null;
  second: { guestId: GuestId; distance: number } | null;
}

export class FaceMatcher implements GalleryWriter {
  private thresholdsValue: MatchThresholds;
  private readonly kernel: ScanKernel | null;

  private capacity: number;
  private count = 0;
  /** Float descriptors, DESCRIPTOR_LENGTH per slot: the exact data (a view of vectorStore). */
  private vectors: Float32Array;
  private readonly vectorStore: FloatStore;
  /** Slot → internal guest number. */
  private owner: Int32Array;
  /** Per-slot quantisation stats for the fast path (see distance.ts). */
  private codeScale: Float64Array;
  private squaredNorm: Float64Array;
  /** Largest ||x||² ever stored (only grows until clear()): scales the rounding slack. */
  private maxSquaredNorm = 0;
  private rerankCount = 0;

  /** Slot → next slot of the same guest (-1 ends the list): per-guest slot lists without a JS
   * array per guest, so loading 120k guests makes no garbage to collect. */
  private nextSlot: Int32Array;

  private readonly guestNumber = new Map<GuestId, number>();
  private guestIds: (GuestId | undefined)[] = [];
  private freeGuestNumbers: number[] = [];
  /** Guest number → first slot (-1: none) and number of slots. */
  private guestHead = new Int32Array(16);
  private guestSize = new Int32Array(16);

  private maxAbsScratch = new Float64Array(8);

  constructor(options: MatcherOptions = {}) {
    this.thresholdsValue = { ...(options.thresholds ?? MATCH_THRESHOLDS) };
    assertThresholds(this.thresholdsValue);
    const capacity = Math.max(16, Math.floor(options.initialCapacity ?? 0));
    const wantFast = options.fast ?? true;
    this.kernel = wantFast && simdKernelAvailable() ? new ScanKernel(capacity) : null;
    this.capacity = this.kernel?.capacity ?? capacity;
    this.vectorStore = new FloatStore(this.capacity * DESCRIPTOR_LENGTH);
    this.vectors = this.vectorStore.data;
    this.nextSlot = new Int32Array(this.capacity);
    // With the kernel, the per-slot arrays live in its memory (it reads them); else plain arrays.
    this.owner = this.kernel?.owners ?? new Int32Array(this.capacity);
    this.codeScale = this.kernel?.scales ?? new Float64Array(0);
    this.squaredNorm = this.kernel?.norms ?? new Float64Array(0);
  }

  get guestCount(): number {
    return this.guestNumber.size;
  }

  get vectorCount(): number {
    return this.count;
  }

  /** True when identify() uses the WebAssembly SIMD kernel. */
  get fast(): boolean {
    return this.kernel !== null;
  }

  get thresholds(): MatchThresholds {
    return { ...this.thresholdsValue };
  }

  set thresholds(t: MatchThresholds) {
    assertThresholds(t);
    this.thresholdsValue = { ...t };
  }

  hasGuest(guestId: GuestId): boolean {
    return this.guestNumber.has(guestId);
  }

  descriptorCount(guestId: GuestId): number {
    const g = this.guestNumber.get(guestId);
    return g === undefined ? 0 : this.guestSize[g]!;
  }

  /** Replace all descriptors of one guest; an empty list removes the guest. Validates first, so a bad
   * descriptor leaves the gallery untouched. */
  setGuest(guestId: GuestId, descriptors: Float32Array[]): void {
    assertGuestId(guestId);
    if (!Array.isArray(descriptors)) {
      throw new MatcherError('bad_descriptor', 'descriptors must be an array of Float32Array');
    }
    // One pass per descriptor validates it and finds its quantisation scale; a failure is reported
    // by the full check (with its message) before anything is written. With the kernel, a guest's
    // descriptors are staged in its memory and checked and quantised there (SIMD).
    if (this.maxAbsScratch.length < descriptors.length) {
      this.maxAbsScratch = new Float64Array(descriptors.length * 2);
    }
    const kernel = descriptors.length <= SCRATCH_VECTORS ? this.kernel : null;
    for (let i = 0; i < descriptors.length; i++) {
      const d = descriptors[i];
      let maxAbs = NaN;
      if (d instanceof Float32Array && d.length === DESCRIPTOR_LENGTH) {
        if (kernel !== null) {
          kernel.scratch.set(d, i * DESCRIPTOR_LENGTH);
          maxAbs = kernel.maxAbs(i);
          if (!(maxAbs < Infinity)) maxAbs = NaN;
        } else {
          maxAbs = maxAbsOrNaN(d);
        }
      }
      if (Number.isNaN(maxAbs)) {
        kernel?.scratch.fill(0); // refused: keep no staged copy
        assertDescriptor(d, `descriptor ${i} of guest`);
        throw new MatcherError('non_finite_descriptor', `descriptor ${i} of guest is not finite`);
      }
      this.maxAbsScratch[i] = maxAbs;
    }
    if (descriptors.length === 0) {
      this.removeGuest(guestId);
      return;
    }
    let g = this.guestNumber.get(guestId);
    if (g === undefined) {
      g = this.newGuestNumber();
      this.guestIds[g] = guestId;
      this.guestNumber.set(guestId, g);
    }
    // Shrink first (swap-remove the surplus), then overwrite the kept slots and append the rest.
    while (this.guestSize[g]! > descriptors.length) this.removeSlot(this.guestHead[g]!);
    this.reserve(this.count + descriptors.length - this.guestSize[g]!);
    let slot = this.guestHead[g]!;
    for (let i = 0; i < descriptors.length; i++) {
      if (slot < 0) {
        this.writeSlot(
          this.appendSlot(g),
          descriptors[i]!,
          this.maxAbsScratch[i]!,
          kernel === null ? null : i,
        );
      } else {
        this.writeSlot(slot, descriptors[i]!, this.maxAbsScratch[i]!, kernel === null ? null : i);
        slot = this.nextSlot[slot]!;
      }
    }
  }

  removeGuest(guestId: GuestId): void {
    assertGuestId(guestId);
    const g = this.guestNumber.get(guestId);
    if (g === undefined) return;
    while (this.guestSize[g]! > 0) this.removeSlot(this.guestHead[g]!);
    this.guestNumber.delete(guestId);
    this.guestIds[g] = undefined;
    this.freeGuestNumbers.push(g);
    this.kernel?.scratch.fill(0); // it may still hold this guest's staged descriptors
  }

  /** Drop every guest (keeps the allocated capacity). Stored vectors are zeroed: delete means delete. */
  clear(): void {
    this.vectors.fill(0, 0, this.count * DESCRIPTOR_LENGTH);
    this.kernel?.codes.fill(0, 0, this.count * DESCRIPTOR_LENGTH);
    this.kernel?.scratch.fill(0);
    this.count = 0;
    this.maxSquaredNorm = 0;
    this.guestNumber.clear();
    this.guestIds = [];
    this.freeGuestNumbers = [];
    this.guestSize.fill(0);
    this.guestHead.fill(-1);
  }

  /** Make room for `vectors` slots in total (amortised: at least doubles). */
  reserve(vectors: number): void {
    if (vectors <= this.capacity) return;
    let capacity = Math.max(vectors, this.capacity * 2);
    if (this.kernel !== null) {
      this.kernel.reserve(capacity);
      capacity = this.kernel.capacity;
      this.owner = this.kernel.owners;
      this.codeScale = this.kernel.scales;
      this.squaredNorm = this.kernel.norms;
    } else {
      this.owner = grow(this.owner, capacity, Int32Array);
    }
    this.vectorStore.grow(capacity * DESCRIPTOR_LENGTH);
    this.vectors = this.vectorStore.data;
    this.nextSlot = grow(this.nextSlot, capacity, Int32Array);
    this.capacity = capacity;
  }

  identify(descriptor: Float32Array): IdentifyResult {
    const n = this.nearest(descriptor);
    return decide(n.best, n.second, this.thresholdsValue);
  }

  /** The reference answer: a plain scan of every float descriptor. */
  identifyExact(descriptor: Float32Array): IdentifyResult {
    const n = this.nearestExact(descriptor);
    return decide(n.best, n.second, this.thresholdsValue);
  }

  nearest(descriptor: Float32Array): Nearest {
    if (this.kernel === null) return this.nearestExact(descriptor);
    assertDescriptor(descriptor, 'query descriptor');
    return this.toNearest(this.scanFast(descriptor, this.kernel));
  }

  nearestExact(descriptor: Float32Array): Nearest {
    assertDescriptor(descriptor, 'query descriptor');
    const top = emptyTopTwo();
    const vectors = this.vectors;
    const owner = this.owner;
    for (let slot = 0, offset = 0; slot < this.count; slot++, offset += DESCRIPTOR_LENGTH) {
      offerTopTwo(top, owner[slot]!, squaredDistanceAt(descriptor, vectors, offset));
    }
    return this.toNearest(top);
  }

  private scanFast(query: Float32Array, kernel: ScanKernel): TopTwo {
    const q = quantiseQuery(query, kernel.query);
    // Pass 1 (WebAssembly): per slot approx = |q|² + |x|² − 2·s·t·dot with
    // |approx − exact| <= s·(||q||₁ + 127·128·t) + slack (distance.ts). It keeps every slot whose
    // lower bound could still beat the best two guests' upper bounds.
    const slack = roundingSlack(q.squaredNorm, this.maxSquaredNorm);
    const { candidates, cutoff } = kernel.scan(this.count, {
      lowerBase: q.squaredNorm - slack,
      dotFactor: 2 * q.scale,
      errorFactor: errorFactor(q),
      slack,
    });
    // Pass 2: exact re-rank of the survivors, in slot order (so ties resolve as in the full scan).
    const slots = kernel.candidateSlots;
    const lowers = kernel.candidateLower;
    const owner = this.owner;
    const vectors = this.vectors;
    const top = emptyTopTwo();
    let reranked = 0;
    for (let i = 0; i < candidates; i++) {
      if (lowers[i]! > cutoff) continue;
      const v = slots[i]!;
      offerTopTwo(top, owner[v]!, squaredDistanceAt(query, vectors, v * DESCRIPTOR_LENGTH));
      reranked++;
    }
    this.rerankCount = reranked;
    return top;
  }

  /** How many slots the last fast identify re-ranked exactly (diagnostics and bench). */
  get lastRerankCount(): number {
    return this.rerankCount;
  }

  private toNearest(top: TopTwo): Nearest {
    return {
      best:
        top.best < 0
          ? null
          : { guestId: this.guestIds[top.best]!, distance: Math.sqrt(top.bestSq) },
      second:
        top.second < 0
          ? null
          : { guestId: this.guestIds[top.second]!, distance: Math.sqrt(top.secondSq) },
    };
  }

  /** Store one descriptor in `slot`; `staged` is its scratch index in the kernel, or null. */
  private writeSlot(
    slot: number,
    descriptor: Float32Array,
    maxAbs: number,
    staged: number | null,
  ): void {
    const offset = slot * DESCRIPTOR_LENGTH;
    this.vectors.set(descriptor, offset);
    if (this.kernel === null) return;
    const stats =
      staged !== null
        ? this.kernel.quantise(staged, maxAbs, slot)
        : quantiseGalleryVector(descriptor, 0, maxAbs, this.kernel.codes, offset);
    this.codeScale[slot] = stats.scale;
    this.squaredNorm[slot] = stats.squaredNorm;
    if (stats.squaredNorm > this.maxSquaredNorm) this.maxSquaredNorm = stats.squaredNorm;
  }

  private newGuestNumber(): number {
    const reused = this.freeGuestNumbers.pop();
    if (reused !== undefined) return reused;
    const g = this.guestIds.length;
    if (g === this.guestHead.length) {
      this.guestHead = grow(this.guestHead, g * 2, Int32Array);
      this.guestSize = grow(this.guestSize, g * 2, Int32Array);
    }
    this.guestHead[g] = -1;
    this.guestSize[g] = 0;
    this.guestIds.push(undefined);
    return g;
  }

  /** A new slot at the end, linked at the head of guest g's list (capacity already reserved). */
  private appendSlot(g: number): number {
    const slot = this.count++;
    this.owner[slot] = g;
    this.nextSlot[slot] = this.guestHead[g]!;
    this.guestHead[g] = slot;
    this.guestSize[g]!++;
    return slot;
  }

  /** In guest g's list, make the link that points at `from` point at `to` instead. */
  private relink(g: number, from: number, to: number): void {
    if (this.guestHead[g] === from) {
      this.guestHead[g] = to;
      return;
    }
    let p = this.guestHead[g]!;
    while (this.nextSlot[p] !== from) p = this.nextSlot[p]!;
    this.nextSlot[p] = to;
  }

  /** Swap-remove: unlink `slot`, move the last slot into it, zero the old last. */
  private removeSlot(slot: number): void {
    const g = this.owner[slot]!;
    this.relink(g, slot, this.nextSlot[slot]!);
    this.guestSize[g]!--;
    const last = this.count - 1;
    if (slot !== last) {
      const movedOwner = this.owner[last]!;
      const from = last * DESCRIPTOR_LENGTH;
      const to = slot * DESCRIPTOR_LENGTH;
      this.vectors.copyWithin(to, from, from + DESCRIPTOR_LENGTH);
      this.kernel?.codes.copyWithin(to, from, from + DESCRIPTOR_LENGTH);
      this.owner[slot] = movedOwner;
      this.nextSlot[slot] = this.nextSlot[last]!;
      if (this.kernel !== null) {
        this.codeScale[slot] = this.codeScale[last]!;
        this.squaredNorm[slot] = this.squaredNorm[last]!;
      }
      this.relink(movedOwner, last, slot);
    }
    // Delete means delete: no copy of a removed descriptor stays in memory.
    const lastOffset = last * DESCRIPTOR_LENGTH;
    this.vectors.fill(0, lastOffset, lastOffset + DESCRIPTOR_LENGTH);
    this.kernel?.codes.fill(0, lastOffset, lastOffset + DESCRIPTOR_LENGTH);
    this.count = last;
  }
}

function assertGuestId(guestId: unknown): asserts guestId is GuestId {
  if (typeof guestId !== 'string' || guestId.length === 0) {
    throw new MatcherError('bad_guest_id', 'guestId must be a non-empty string');
  }
}

type TypedArrayCtor<T> = new (length: number) => T;

function grow<T extends Float32Array | Float64Array | Int32Array>(
  old: T,
  length: number,
  Ctor: TypedArrayCtor<T>,
): T {
  const next = new Ctor(length);
  next.set(old as never);
  return next;
}

export function createMatcher(options: MatcherOptions = {}): FaceMatcher {
  return new FaceMatcher(options);
}
