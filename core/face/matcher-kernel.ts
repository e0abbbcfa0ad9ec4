// The WebAssembly SIMD scan kernel (matcher-kernel.wat) and the linear memory it scans.
// Layout for capacity C slots (byte offsets, all 8-aligned):
//   [query: 128 × int16][scratch: SCRATCH_VECTORS × 128 × f32][codes: C × 128 × int8][scale: C × f64][norm: C × f64][owner: C × int32]
//   [candidate slots: C × int32][candidate lower bounds: C × f64]
// The codes never move; growing moves the three per-slot arrays up (highest first, memmove) and
// renews the views. The matcher keeps its per-slot arrays in these views.
import type { VectorCodeStats } from './distance';
import { DESCRIPTOR_LENGTH, GALLERY_CODE_MAX } from './distance';
import { KERNEL_WASM_BASE64 } from './matcher-kernel-bytes';
import { MatcherError } from './matcher-errors';

const PAGE = 65536;
const QUERY_OFFSET = 0;
const SCRATCH_OFFSET = DESCRIPTOR_LENGTH * 2;
/** New descriptors of one guest are staged here for maxAbs()/quantise() (more: the JS quantiser). */
export const SCRATCH_VECTORS = 16;
const CODES_OFFSET = SCRATCH_OFFSET + SCRATCH_VECTORS * DESCRIPTOR_LENGTH * 4;

interface KernelExports {
  memory: WebAssembly.Memory;
  cutoff: WebAssembly.Global;
  maxAbs(src: number): number;
  quantise(src: number, inverse: number, dst: number): number;
  scan(
    query: number,
    codes: number,
    scales: number,
    norms: number,
    owners: number,
    count: number,
    candSlots: number,
    candLower: number,
    lowerBase: number,
    dotFactor: number,
    errorFactor: number,
    slack: number,
  ): number;
}

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is not available. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decodeBase64(KERNEL_WASM_BASE64) as BufferSource);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function simdKernelAvailable(): boolean {
  return kernelModule() !== null;
}

interface Layout {
  scales: number;
  norms: number;
  owners: number;
  candSlots: number;
  candLower: number;
  end: number;
}

function layout(capacity: number): Layout {
  const scales = CODES_OFFSET + capacity * DESCRIPTOR_LENGTH;
  const norms = scales + capacity * 8;
  const owners = norms + capacity * 8;
  const candSlots = owners + capacity * 4;
  const candLower = candSlots + capacity * 4;
  return { scales, norms, owners, candSlots, candLower, end: candLower + capacity * 8 };
}

/** Pass-1 parameters (see distance.ts for the bound). */
export interface ScanParameters {
  lowerBase: number;
  dotFactor: number;
  errorFactor: number;
  slack: number;
}

export class ScanKernel {
  private readonly exports: KernelExports;
  private capacityVectors = 0;
  private at: Layout = layout(0);
  /** The query codes the next scan uses. */
  query!: Int16Array;
  /** Staging for new descriptors (SCRATCH_VECTORS × DESCRIPTOR_LENGTH). */
  scratch!: Float32Array;
  /** int8 codes, DESCRIPTOR_LENGTH per slot. */
  codes!: Int8Array;
  /** Per slot: quantisation scale, squared norm of the float vector, owner guest number. */
  scales!: Float64Array;
  norms!: Float64Array;
  owners!: Int32Array;
  /** After scan(): candidate slots (ascending) and their lower bounds. */
  candidateSlots!: Int32Array;
  candidateLower!: Float64Array;

  constructor(initialCapacity: number) {
    const module = kernelModule();
    if (module === null) {
      throw new MatcherError(
        'wasm_unavailable',
        'WebAssembly SIMD is not available: use the exact scan',
      );
    }
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    this.reserve(Math.max(1, initialCapacity));
  }

  get capacity(): number {
    return this.capacityVectors;
  }

  /** Make room for at least `vectors` slots (at least doubling, so the moved regions never overlap
   * the old ones); every stored slot is kept. */
  reserve(wanted: number): void {
    if (wanted <= this.capacityVectors) return;
    const vectors = Math.max(wanted, this.capacityVectors * 2);
    const next = layout(vectors);
    const memory = this.exports.memory;
    const missing = Math.ceil((next.end - memory.buffer.byteLength) / PAGE);
    if (missing > 0) memory.grow(missing);
    const bytes = new Uint8Array(memory.buffer);
    const old = this.at;
    const n = this.capacityVectors;
    // New regions sit above the old ones: move the highest first so nothing is overwritten unread.
    bytes.copyWithin(next.owners, old.owners, old.owners + n * 4);
    bytes.copyWithin(next.norms, old.norms, old.norms + n * 8);
    bytes.copyWithin(next.scales, old.scales, old.scales + n * 8);
    // The old per-slot regions (now where new codes go) are stale: zero them. Memory added by
    // grow() is already zero.
    bytes.fill(0, old.scales, Math.min(old.end, next.scales));
    this.at = next;
    this.capacityVectors = vectors;
    const buffer = memory.buffer;
    this.query = new Int16Array(buffer, QUERY_OFFSET, DESCRIPTOR_LENGTH);
    this.scratch = new Float32Array(buffer, SCRATCH_OFFSET, SCRATCH_VECTORS * DESCRIPTOR_LENGTH);
    this.codes = new Int8Array(buffer, CODES_OFFSET, vectors * DESCRIPTOR_LENGTH);
    this.scales = new Float64Array(buffer, next.scales, vectors);
    this.norms = new Float64Array(buffer, next.norms, vectors);
    this.owners = new Int32Array(buffer, next.owners, vectors);
    this.candidateSlots = new Int32Array(buffer, next.candSlots, vectors);
    this.candidateLower = new Float64Array(buffer, next.candLower, vectors);
  }

  /** max |x_i| of scratch descriptor `index`; NaN or Infinity when a component is not finite. */
  maxAbs(index: number): number {
    return this.exports.maxAbs(SCRATCH_OFFSET + index * DESCRIPTOR_LENGTH * 4);
  }

  /**
   * Codes of scratch descriptor `index` (whose finite maxAbs() is given) into `slot`; returns the
   * quantisation scale and the descriptor's squared norm, like quantiseGalleryVector (distance.ts).
   */
  quantise(index: number, maxAbs: number, slot: number): VectorCodeStats {
    const scale = maxAbs / GALLERY_CODE_MAX;
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    const squaredNorm = this.exports.quantise(
      SCRATCH_OFFSET + index * DESCRIPTOR_LENGTH * 4,
      inverse,
      CODES_OFFSET + slot * DESCRIPTOR_LENGTH,
    );
    return { scale, squaredNorm };
  }

  /**
   * Pass 1 over slots [0, count): returns the number of candidates written to candidateSlots /
   * candidateLower and the cutoff (second guest's upper bound) below which they matter.
   */
  scan(count: number, p: ScanParameters): { candidates: number; cutoff: number } {
    const at = this.at;
    const candidates = this.exports.scan(
      QUERY_OFFSET,
      CODES_OFFSET,
      at.scales,
      at.norms,
      at.owners,
      count,
      at.candSlots,
      at.candLower,
      p.lowerBase,
      p.dotFactor,
      p.errorFactor,
      p.slack,
    );
    return { candidates, cutoff: this.exports.cutoff.value as number };
  }
}
