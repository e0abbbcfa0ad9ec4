import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH, euclideanDistance } from '../../core/face/distance';
import { FaceMatcher, createMatcher } from '../../core/face/matcher';
import { MatcherError } from '../../core/face/matcher-errors';
import { KERNEL_WASM_BASE64 } from '../../core/face/matcher-kernel-bytes';
import { assembleKernel } from '../../core/face/matcher-kernel-build';
import { MATCH_THRESHOLDS } from '../../core/face/thresholds';
import type { IdentifyResult } from '../../core/face/types';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Roughly the shape of face-api descriptors: components of a few hundredths to a few tenths. */
function randomDescriptor(random: () => number): Float32Array {
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) d[i] = (random() * 2 - 1) * 0.15;
  return d;
}

function jitter(base: Float32Array, random: () => number, amount: number): Float32Array {
  const d = new Float32Array(base);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) d[i] = d[i]! + (random() * 2 - 1) * amount;
  return d;
}

/** A unit vector along axis `i` scaled by `length`: distances are then easy to read. */
function axis(i: number, length = 1): Float32Array {
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  d[i] = length;
  return d;
}

/** Independent reference: brute force over a plain map, no shared code with the matcher's scan. */
function reference(
  gallery: Map<string, Float32Array[]>,
  q: Float32Array,
): { id: string; d: number }[] {
  const perGuest: { id: string; d: number }[] = [];
  for (const [id, ds] of gallery) {
    perGuest.push({ id, d: Math.min(...ds.map((x) => euclideanDistance(q, x))) });
  }
  return perGuest.sort((a, b) => a.d - b.d).slice(0, 2);
}

const T = { maxDistance: 0.6, minMargin: 0.1 };

describe('FaceMatcher: exact answers', () => {
  it('runs the WebAssembly SIMD fast path in Node', () => {
    expect(new FaceMatcher().fast).toBe(true);
    expect(new FaceMatcher({ fast: false }).fast).toBe(false);
  });

  for (const fast of [true, false]) {
    describe(fast ? 'fast path' : 'exact scan', () => {
      it('matches the nearest guest with its distance and the next guest distance', () => {
        const m = createMatcher({ thresholds: T, fast });
        m.setGuest('alice', [axis(0)]);
        m.setGuest('bob', [axis(1)]);
        const q = axis(0, 1);
        q[2] = 0.3; // 0.3 from alice, sqrt(1 + 1 + 0.09) from bob
        const r = m.identify(q);
        expect(r.kind).toBe('match');
        if (r.kind !== 'match') return;
        expect(r.guestId).toBe('alice');
        expect(r.distance).toBeCloseTo(0.3, 6);
        expect(r.secondDistance).toBeCloseTo(Math.sqrt(2.09), 6);
      });

      it('is unknown above the threshold and on an empty gallery', () => {
        const m = createMatcher({ thresholds: T, fast });
        expect(m.identify(axis(0))).toEqual({ kind: 'unknown', bestDistance: Infinity });
        m.setGuest('alice', [axis(0)]);
        const r = m.identify(axis(1, 0.7)); // sqrt(1 + 0.49) from alice
        expect(r).toEqual({ kind: 'unknown', bestDistance: expect.closeTo(Math.sqrt(1.49), 6) });
      });

      it('is ambiguous when two guests are within the margin', () => {
        const m = createMatcher({ thresholds: T, fast });
        const a = axis(0, 0.2);
        const b = axis(1, 0.25);
        m.setGuest('alice', [a]);
        m.setGuest('bob', [b]);
        const r = m.identify(new Float32Array(DESCRIPTOR_LENGTH)); // 0.2 vs 0.25: gap 0.05 < 0.1
        expect(r.kind).toBe('ambiguous');
        if (r.kind !== 'ambiguous') return;
        expect(r.candidates.map((c) => c.guestId)).toEqual(['alice', 'bob']);
        expect(r.candidates[0]!.distance).toBeCloseTo(0.2, 6);
        expect(r.candidates[1]!.distance).toBeCloseTo(0.25, 6);
      });

      it('uses the nearest of several descriptors per guest', () => {
        const m = createMatcher({ thresholds: T, fast });
        m.setGuest('alice', [axis(0), axis(1), axis(2)]);
        m.setGuest('bob', [axis(3)]);
        expect(m.vectorCount).toBe(4);
        expect(m.guestCount).toBe(2);
        const q = axis(2, 0.9); // 0.1 from alice's third descriptor
        expect(m.identify(q)).toMatchObject({ kind: 'match', guestId: 'alice' });
        expect((m.identify(q) as { distance: number }).distance).toBeCloseTo(0.1, 6);
      });

      it('add and remove without rebuild: a removed guest never matches again, the others still do', () => {
        const random = seeded(fast ? 11 : 12);
        const m = createMatcher({ thresholds: T, fast });
        const model = new Map<string, Float32Array[]>();
        // Interleave adds, replacements and removals (swap-remove moves other guests' slots).
        for (let step = 0; step < 600; step++) {
          const id = `g${Math.floor(random() * 80)}`;
          const roll = random();
          if (roll < 0.25) {
            m.removeGuest(id);
            model.delete(id);
          } else {
            const ds = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
              randomDescriptor(random),
            );
            m.setGuest(id, ds);
            model.set(id, ds);
          }
          expect(m.guestCount).toBe(model.size);
          expect(m.vectorCount).toBe([...model.values()].reduce((n, ds) => n + ds.length, 0));
        }
        // Every stored descriptor still finds its own guest; removed guests' descriptors find nobody
        // at distance 0.
        for (const [id, ds] of model) {
          for (const d of ds) {
            const n = m.nearest(d);
            expect(n.best).toEqual({ guestId: id, distance: 0 });
          }
        }
        for (let i = 0; i < 80; i++) {
          const id = `g${i}`;
          if (model.has(id)) continue;
          expect(m.hasGuest(id)).toBe(false);
        }
        // And answers equal the independent brute force on random queries.
        for (let i = 0; i < 200; i++) {
          const q = randomDescriptor(random);
          const want = reference(model, q);
          const got = m.nearest(q);
          expect(got.best?.guestId).toBe(want[0]?.id);
          expect(got.best?.distance).toBeCloseTo(want[0]!.d, 9);
          expect(got.second?.guestId).toBe(want[1]?.id);
          expect(got.second?.distance).toBeCloseTo(want[1]!.d, 9);
        }
      });

      it('removeGuest of a guest who matched makes the query unknown or another guest', () => {
        const m = createMatcher({ thresholds: T, fast });
        const alice = axis(5, 0.5);
        m.setGuest('alice', [alice, axis(6, 0.5)]);
        m.setGuest('bob', [axis(7, 0.5)]);
        expect(m.identify(alice)).toMatchObject({ kind: 'match', guestId: 'alice' });
        m.removeGuest('alice');
        expect(m.identify(alice)).toMatchObject({ kind: 'unknown' });
        expect(m.nearest(alice).best?.guestId).toBe('bob');
        expect(m.identify(axis(7, 0.5))).toMatchObject({ kind: 'match', guestId: 'bob' });
        m.removeGuest('nobody'); // removing an unknown guest is a no-op
        expect(m.guestCount).toBe(1);
      });

      it('setGuest replaces all descriptors, and an empty list removes the guest', () => {
        const m = createMatcher({ thresholds: T, fast });
        m.setGuest('alice', [axis(0), axis(1), axis(2)]);
        m.setGuest('bob', [axis(3)]);
        m.setGuest('alice', [axis(4)]);
        expect(m.vectorCount).toBe(2);
        expect(m.descriptorCount('alice')).toBe(1);
        expect(m.identify(axis(0))).toMatchObject({ kind: 'unknown' });
        expect(m.identify(axis(4))).toMatchObject({ kind: 'match', guestId: 'alice' });
        m.setGuest('alice', []);
        expect(m.hasGuest('alice')).toBe(false);
        expect(m.vectorCount).toBe(1);
      });
    });
  }
});

describe('FaceMatcher: fast path equals the exact float scan', () => {
  function compare(m: FaceMatcher, queries: Float32Array[]): number {
    let equal = 0;
    for (const q of queries) {
      const fast = m.nearest(q);
      const exact = m.nearestExact(q);
      // Guest ids AND distances, bit for bit (toEqual would let -0/+0 and NaN slide; use Object.is).
      expect(fast.best?.guestId).toBe(exact.best?.guestId);
      expect(fast.second?.guestId).toBe(exact.second?.guestId);
      expect(Object.is(fast.best?.distance, exact.best?.distance)).toBe(true);
      expect(Object.is(fast.second?.distance, exact.second?.distance)).toBe(true);
      const result: IdentifyResult = m.identify(q);
      expect(result).toEqual(m.identifyExact(q));
      equal++;
    }
    return equal;
  }

  it('on random and near-duplicate queries over a gallery with near-duplicate guests', () => {
    const random = seeded(2024);
    const m = createMatcher({ thresholds: T });
    const bases: Float32Array[] = [];
    for (let g = 0; g < 1000; g++) {
      const base = randomDescriptor(random);
      bases.push(base);
      m.setGuest(`g${g}`, [jitter(base, random, 0.02), jitter(base, random, 0.02), base]);
    }
    // Twins: guests whose descriptors are a hair apart, the hardest case for an approximation.
    for (let t = 0; t < 100; t++) {
      m.setGuest(`twin${t}`, [jitter(bases[t]!, random, 0.001)]);
    }
    // Exact duplicates of another guest's descriptor: ties must resolve as in the exact scan.
    for (let t = 0; t < 50; t++) m.setGuest(`copy${t}`, [bases[200 + t]!]);
    // A guest with more descriptors than the kernel stages at once (quantised in JS instead).
    m.setGuest(
      'many',
      Array.from({ length: 20 }, () => jitter(bases[300]!, random, 0.02)),
    );
    const queries: Float32Array[] = [];
    for (let i = 0; i < 150; i++) queries.push(randomDescriptor(random));
    for (let i = 0; i < 150; i++) queries.push(jitter(bases[i]!, random, 0.01));
    for (let i = 0; i < 60; i++) queries.push(jitter(bases[i]!, random, 0.0005));
    for (let i = 0; i < 60; i++) queries.push(bases[200 + i]!);
    for (let i = 0; i < 10; i++) queries.push(jitter(bases[300]!, random, 0.01));
    expect(compare(m, queries)).toBe(430);
    // …and the fast path really skipped almost everything.
    m.identify(jitter(bases[500]!, random, 0.01));
    expect(m.lastRerankCount).toBeLessThan(m.vectorCount / 20);
  });

  it('after removals and replacements, and with zero vectors', () => {
    const random = seeded(99);
    const m = createMatcher({ thresholds: T });
    const bases: Float32Array[] = [];
    for (let g = 0; g < 600; g++) {
      const base = randomDescriptor(random);
      bases.push(base);
      m.setGuest(`g${g}`, [base, jitter(base, random, 0.03)]);
    }
    for (let g = 0; g < 600; g += 3) m.removeGuest(`g${g}`);
    for (let g = 1; g < 600; g += 7) m.setGuest(`g${g}`, [jitter(bases[g]!, random, 0.05)]);
    m.setGuest('zero', [new Float32Array(DESCRIPTOR_LENGTH)]);
    const queries: Float32Array[] = [new Float32Array(DESCRIPTOR_LENGTH)];
    for (let i = 0; i < 200; i++) queries.push(jitter(bases[i]!, random, 0.02));
    expect(compare(m, queries)).toBe(201);
  });

  it('with descriptors of very different magnitudes', () => {
    const random = seeded(5);
    const m = createMatcher({ thresholds: T });
    const bases: Float32Array[] = [];
    for (let g = 0; g < 300; g++) {
      const magnitude = [1e-6, 1, 1e3, 1e12][g % 4]!;
      const base = randomDescriptor(random).map((x) => x * magnitude);
      bases.push(base);
      m.setGuest(`g${g}`, [base, jitter(base, random, 0.01 * magnitude)]);
    }
    const queries: Float32Array[] = [];
    for (let i = 0; i < 120; i++) {
      const magnitude = [1e-6, 1, 1e3, 1e12][i % 4]!;
      queries.push(jitter(bases[i]!, random, 0.005 * magnitude));
    }
    expect(compare(m, queries)).toBe(120);
  });
});

describe('FaceMatcher: bad input', () => {
  it('refuses bad descriptors and guest ids with typed errors and leaves the gallery untouched', () => {
    const m = createMatcher({ thresholds: T });
    m.setGuest('alice', [axis(0)]);
    const bad = axis(1);
    bad[3] = Infinity;
    const codeOf = (f: () => void): string | undefined => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(MatcherError);
        return (e as MatcherError).code;
      }
      return undefined;
    };
    expect(codeOf(() => m.setGuest('alice', [axis(2), bad]))).toBe('non_finite_descriptor');
    expect(codeOf(() => m.setGuest('bob', [new Float32Array(64)]))).toBe('bad_descriptor');
    expect(codeOf(() => m.setGuest('', [axis(2)]))).toBe('bad_guest_id');
    expect(codeOf(() => m.identify(new Float32Array(3)))).toBe('bad_descriptor');
    expect(codeOf(() => m.identifyExact(bad))).toBe('non_finite_descriptor');
    expect(codeOf(() => createMatcher({ thresholds: { maxDistance: -1, minMargin: 0 } }))).toBe(
      'bad_thresholds',
    );
    expect(codeOf(() => (m.thresholds = { maxDistance: 0.5, minMargin: NaN }))).toBe(
      'bad_thresholds',
    );
    expect(m.guestCount).toBe(1);
    expect(m.vectorCount).toBe(1);
    expect(m.identify(axis(0))).toMatchObject({ kind: 'match', guestId: 'alice', distance: 0 });
  });

  it('uses the calibrated defaults from thresholds.ts', () => {
    expect(new FaceMatcher().thresholds).toEqual(MATCH_THRESHOLDS);
  });
});

describe('WebAssembly kernel', () => {
  it('the embedded bytes are exactly the assembly of matcher-kernel.wat', async () => {
    const wat = readFileSync(
      new URL('../../core/face/matcher-kernel.wat', import.meta.url),
      'utf8',
    );
    const bytes = await assembleKernel(wat);
    expect(Buffer.from(bytes).toString('base64')).toBe(KERNEL_WASM_BASE64);
    const wasm = readFileSync(new URL('../../core/face/matcher-kernel.wasm', import.meta.url));
    expect(Buffer.from(bytes).equals(wasm)).toBe(true);
  });
});
