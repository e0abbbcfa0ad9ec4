import { describe, expect, it } from 'vitest';
import {
  DESCRIPTOR_LENGTH,
  assertDescriptor,
  decide,
  emptyTopTwo,
  euclideanDistance,
  offerTopTwo,
  maxAbsOrNaN,
  quantiseGalleryVector,
  quantiseQuery,
  roundingSlack,
  squaredDistanceAt,
  squaredDistanceErrorBound,
} from '../../core/face/distance';
import { MatcherError } from '../../core/face/matcher-errors';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomDescriptor(random: () => number, spread = 0.2): Float32Array {
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) d[i] = (random() * 2 - 1) * spread;
  return d;
}

const T = { maxDistance: 0.5, minMargin: 0.1 };

describe('distances', () => {
  it('euclideanDistance is the square root of squaredDistanceAt', () => {
    const a = new Float32Array(DESCRIPTOR_LENGTH);
    const b = new Float32Array(DESCRIPTOR_LENGTH);
    a[0] = 3;
    b[1] = 4;
    expect(euclideanDistance(a, b)).toBe(5);
    const data = new Float32Array(DESCRIPTOR_LENGTH * 2);
    data.set(b, DESCRIPTOR_LENGTH);
    expect(squaredDistanceAt(a, data, DESCRIPTOR_LENGTH)).toBe(25);
    expect(squaredDistanceAt(a, data, 0)).toBe(9);
  });

  it('refuses descriptors of the wrong type, length or with non-finite values', () => {
    expect(() => assertDescriptor(new Float32Array(127))).toThrow(/128 components/);
    expect(() => assertDescriptor([1, 2, 3])).toThrow(MatcherError);
    const nan = new Float32Array(DESCRIPTOR_LENGTH);
    nan[7] = NaN;
    try {
      assertDescriptor(nan);
      expect.unreachable();
    } catch (e) {
      expect((e as MatcherError).code).toBe('non_finite_descriptor');
    }
  });
});

describe('decide (open-set rule)', () => {
  it('matches when under the threshold and clear of the next guest by the margin', () => {
    expect(decide({ guestId: 'a', distance: 0.3 }, { guestId: 'b', distance: 0.45 }, T)).toEqual({
      kind: 'match',
      guestId: 'a',
      distance: 0.3,
      secondDistance: 0.45,
    });
  });
  it('is ambiguous when the next guest is within the margin', () => {
    const r = decide({ guestId: 'a', distance: 0.3 }, { guestId: 'b', distance: 0.35 }, T);
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') expect(r.candidates.map((c) => c.guestId)).toEqual(['a', 'b']);
  });
  it('is unknown at or above the threshold, and on an empty gallery', () => {
    expect(decide({ guestId: 'a', distance: 0.5 }, null, T)).toEqual({
      kind: 'unknown',
      bestDistance: 0.5,
    });
    expect(decide(null, null, T)).toEqual({ kind: 'unknown', bestDistance: Infinity });
  });
  it('matches a lone guest (no second) under the threshold', () => {
    expect(decide({ guestId: 'a', distance: 0.1 }, null, T)).toMatchObject({
      kind: 'match',
      secondDistance: Infinity,
    });
  });
});

describe('offerTopTwo', () => {
  it('keeps the best guest and the best OTHER guest, ties to the first seen', () => {
    const top = emptyTopTwo();
    offerTopTwo(top, 1, 0.5);
    offerTopTwo(top, 1, 0.2); // same guest, better vector: not a second guest
    expect(top).toEqual({ best: 1, bestSq: 0.2, second: -1, secondSq: Infinity });
    offerTopTwo(top, 2, 0.2); // tie: first seen stays best
    offerTopTwo(top, 3, 0.1);
    expect(top).toEqual({ best: 3, bestSq: 0.1, second: 1, secondSq: 0.2 });
  });
});

describe('int8 quantisation error bound', () => {
  it('bounds |approximate - exact| squared distance on many random pairs', () => {
    const random = seeded(7);
    const codes = new Int8Array(DESCRIPTOR_LENGTH);
    const queryCodes = new Int16Array(DESCRIPTOR_LENGTH);
    let worstRatio = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const x = randomDescriptor(random, trial % 2 ? 0.05 : 0.4);
      const q = randomDescriptor(random, 0.3);
      const stats = quantiseGalleryVector(x, 0, maxAbsOrNaN(x), codes, 0);
      const qs = quantiseQuery(q, queryCodes);
      let dot = 0;
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) dot += codes[i]! * queryCodes[i]!;
      const approx = qs.squaredNorm + stats.squaredNorm - 2 * stats.scale * qs.scale * dot;
      const exact = squaredDistanceAt(q, x, 0);
      const bound = squaredDistanceErrorBound(
        stats.scale,
        qs,
        roundingSlack(qs.squaredNorm, stats.squaredNorm),
      );
      expect(Math.abs(approx - exact)).toBeLessThanOrEqual(bound);
      worstRatio = Math.max(worstRatio, Math.abs(approx - exact) / bound);
    }
    // The bound is not vacuous: real errors use a visible part of it.
    expect(worstRatio).toBeGreaterThan(0.01);
  });

  it('maxAbsOrNaN finds the largest magnitude and flags non-finite components', () => {
    const x = new Float32Array(DESCRIPTOR_LENGTH);
    x[3] = -0.4;
    x[9] = 0.25;
    expect(maxAbsOrNaN(x)).toBeCloseTo(0.4, 6);
    x[100] = Infinity;
    expect(maxAbsOrNaN(x)).toBeNaN();
    x[100] = NaN;
    expect(maxAbsOrNaN(x)).toBeNaN();
  });

  it('quantises the zero vector to zero codes', () => {
    const codes = new Int8Array(DESCRIPTOR_LENGTH).fill(5);
    const s = quantiseGalleryVector(new Float32Array(DESCRIPTOR_LENGTH), 0, 0, codes, 0);
    expect(s).toEqual({ scale: 0, squaredNorm: 0 });
    expect(codes.every((c) => c === 0)).toBe(true);
  });

  it('uses the full int8 range on the largest component', () => {
    const x = new Float32Array(DESCRIPTOR_LENGTH);
    x[0] = -0.3;
    x[1] = 0.15;
    const codes = new Int8Array(DESCRIPTOR_LENGTH);
    quantiseGalleryVector(x, 0, maxAbsOrNaN(x), codes, 0);
    expect(codes[0]).toBe(-127);
    expect(codes[1]).toBe(64); // 63.5 rounds half up
  });
});
