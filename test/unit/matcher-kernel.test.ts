import { describe, expect, it } from 'vitest';
import {
  CODE_ROUNDING_EXCESS,
  DESCRIPTOR_LENGTH,
  maxAbsOrNaN,
  quantiseGalleryVector,
} from '../../core/face/distance';
import { ScanKernel } from '../../core/face/matcher-kernel';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('ScanKernel.maxAbs / quantise (SIMD) against the JS quantiser', () => {
  it('same max, codes within the allowed rounding, same squared norm', () => {
    const random = seeded(3);
    const kernel = new ScanKernel(64);
    const jsCodes = new Int8Array(DESCRIPTOR_LENGTH);
    let codesThatDiffer = 0;
    for (let trial = 0; trial < 500; trial++) {
      const spread = [1e-3, 0.1, 0.5, 1e4][trial % 4]!;
      const x = new Float32Array(DESCRIPTOR_LENGTH).map(() => (random() * 2 - 1) * spread);
      if (trial % 50 === 0) x.fill(0);
      kernel.scratch.set(x, 0);
      const maxAbs = kernel.maxAbs(0);
      expect(maxAbs).toBe(maxAbsOrNaN(x));
      const slot = trial % 64;
      const stats = kernel.quantise(0, maxAbs, slot);
      const js = quantiseGalleryVector(x, 0, maxAbs, jsCodes, 0);
      expect(stats.scale).toBe(js.scale);
      expect(stats.squaredNorm).toBeCloseTo(js.squaredNorm, 12 - Math.log10(spread * spread * 128));
      const codes = kernel.codes.subarray(slot * DESCRIPTOR_LENGTH, (slot + 1) * DESCRIPTOR_LENGTH);
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
        // The rounding the error bound relies on: |x/s − c| <= 1/2 + δ.
        if (stats.scale > 0) {
          expect(Math.abs(x[i]! / stats.scale - codes[i]!)).toBeLessThanOrEqual(
            0.5 + CODE_ROUNDING_EXCESS,
          );
        } else {
          expect(codes[i]).toBe(0);
        }
        if (codes[i] !== jsCodes[i]) codesThatDiffer++; // only at exact halves (ties) or f32 rounding
      }
    }
    expect(codesThatDiffer).toBeLessThan(500 * DESCRIPTOR_LENGTH * 0.01);
  });

  it('flags non-finite components: maxAbs is NaN or Infinity', () => {
    const kernel = new ScanKernel(4);
    const x = new Float32Array(DESCRIPTOR_LENGTH).fill(0.1);
    x[77] = NaN;
    kernel.scratch.set(x, DESCRIPTOR_LENGTH * 3);
    expect(kernel.maxAbs(3)).toBeNaN();
    x[77] = -Infinity;
    kernel.scratch.set(x, DESCRIPTOR_LENGTH * 3);
    expect(kernel.maxAbs(3)).toBe(Infinity);
  });

  it('keeps codes and per-slot data across growth', () => {
    const kernel = new ScanKernel(2);
    const x = new Float32Array(DESCRIPTOR_LENGTH).map((_, i) => (i - 64) / 100);
    kernel.scratch.set(x, 0);
    const stats = kernel.quantise(0, kernel.maxAbs(0), 1);
    kernel.scales[1] = stats.scale;
    kernel.norms[1] = stats.squaredNorm;
    kernel.owners[1] = 42;
    const codes = Array.from(kernel.codes.subarray(DESCRIPTOR_LENGTH, 2 * DESCRIPTOR_LENGTH));
    for (const capacity of [5, 100, 5000]) {
      kernel.reserve(capacity);
      expect(Array.from(kernel.codes.subarray(DESCRIPTOR_LENGTH, 2 * DESCRIPTOR_LENGTH))).toEqual(
        codes,
      );
      expect(kernel.scales[1]).toBe(stats.scale);
      expect(kernel.norms[1]).toBe(stats.squaredNorm);
      expect(kernel.owners[1]).toBe(42);
      expect(kernel.scales[0]).toBe(0);
      expect(kernel.owners[capacity - 1]).toBe(0);
    }
  });
});
