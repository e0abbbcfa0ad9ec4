// The WebAssembly SIMD scan kernel (matcher-kernel.wat) and the linear memory it scans.
// Memory layout: [query: 128 x int16][codes: capacity x 128 x int8][dots: capacity x int32].
// The codes region never moves, so growing the capacity is memory.grow plus new views: no copy.
import { DESCRIPTOR_LENGTH } from './distance';
import { KERNEL_WASM_BASE64 } from './matcher-kernel-bytes';
import { MatcherError } from './matcher-errors';

const PAGE = 65536;
const QUERY_OFFSET = 0;
const CODES_OFFSET = DESCRIPTOR_LENGTH * 2;

interface KernelExports {
  memory: WebAssembly.Memory;
  dots(query: number, codes: number, count: number, out: number): void;
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

export class ScanKernel {
  private readonly exports: KernelExports;
  private capacityVectors = 0;
  /** int8 codes, DESCRIPTOR_LENGTH per vector (view over wasm memory; renewed on growth). */
  codes!: Int8Array;
  /** The query codes the next scan uses. */
  query!: Int16Array;
  /** One int32 dot product per vector after scan(). */
  dots!: Int32Array;

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

  private dotsOffset(capacity: number): number {
    return CODES_OFFSET + capacity * DESCRIPTOR_LENGTH;
  }

  /** Make room for `vectors` vectors (codes and dots); existing codes are kept in place. */
  reserve(vectors: number): void {
    if (vectors <= this.capacityVectors) return;
    const bytes = this.dotsOffset(vectors) + vectors * 4;
    const memory = this.exports.memory;
    const missing = Math.ceil((bytes - memory.buffer.byteLength) / PAGE);
    if (missing > 0) memory.grow(missing);
    const buffer = memory.buffer;
    this.capacityVectors = vectors;
    this.query = new Int16Array(buffer, QUERY_OFFSET, DESCRIPTOR_LENGTH);
    this.codes = new Int8Array(buffer, CODES_OFFSET, vectors * DESCRIPTOR_LENGTH);
    this.dots = new Int32Array(buffer, this.dotsOffset(vectors), vectors);
  }

  /** dots[v] = query · codes[v] (exact int32) for v in [0, count). */
  scan(count: number): void {
    this.exports.dots(QUERY_OFFSET, CODES_OFFSET, count, this.dotsOffset(this.capacityVectors));
  }
}
