// The wasm backend's replacement Concat (core/face/wasm-concat.ts) must give exactly what a
// concatenation gives, on the real wasm backend, for every shape, axis and dtype it meets:
// the small-block loop and the cases it hands back to the stock kernel alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tf, type TfRuntime } from '../../core/face/backend';
import { installFastConcat, SMALL_BLOCK } from '../../core/face/wasm-concat';

let tf: Tf;
let runtime: TfRuntime;

beforeAll(async () => {
  const loaded = await loadBackend('wasm');
  expect(loaded.backend).toBe('wasm');
  tf = loaded.tf;
  runtime = loaded.runtime;
});

/** Reference concatenation on plain arrays (row-major). */
function expected(parts: { values: number[]; shape: number[] }[], axis: number): number[] {
  const outer = parts[0]!.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let row = 0; row < outer; row++) {
    for (const { values, shape } of parts) {
      const block = shape.slice(axis).reduce((a, b) => a * b, 1);
      out.push(...values.slice(row * block, (row + 1) * block));
    }
  }
  return out;
}

function part(shape: number[], seed: number, dtype: 'float32' | 'int32' | 'bool') {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => {
    const v = Math.sin(seed * 7919 + i * 104729);
    if (dtype === 'bool') return v > 0 ? 1 : 0;
    if (dtype === 'int32') return Math.round(v * 1000);
    return Math.fround(v * 1000);
  });
  return { values, shape, tensor: tf.tensor(values, shape, dtype) };
}

describe('wasm Concat', () => {
  it('is installed on the wasm backend (installing again is a no-op)', () => {
    expect(installFastConcat(tf)).toBe(true);
    expect(installFastConcat(tf)).toBe(true);
  });

  const cases: [string, number[][], number][] = [
    [
      "face-api's mean colour: three [1,H,W,1] along the last axis",
      [
        [1, 5, 7, 1],
        [1, 5, 7, 1],
        [1, 5, 7, 1],
      ],
      3,
    ],
    [
      'the last axis, blocks of different sizes',
      [
        [2, 3, 4],
        [2, 3, 1],
        [2, 3, 2],
      ],
      2,
    ],
    [
      'a middle axis with small blocks',
      [
        [2, 2, 3],
        [2, 1, 3],
      ],
      1,
    ],
    [
      'negative axis',
      [
        [4, 2],
        [4, 3],
      ],
      -1,
    ],
    [
      'blocks at the loop limit',
      [
        [3, SMALL_BLOCK],
        [3, SMALL_BLOCK],
      ],
      1,
    ],
    [
      'large blocks (stock kernel)',
      [
        [2, 40],
        [2, 30],
      ],
      1,
    ],
    [
      'axis 0 (one block per input, stock kernel)',
      [
        [3, 4],
        [2, 4],
      ],
      0,
    ],
    [
      'one block over the limit (stock kernel)',
      [
        [2, 1],
        [2, SMALL_BLOCK + 1],
      ],
      1,
    ],
  ];

  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const [name, shapes, axis] of cases) {
      it(`${name} (${dtype})`, () => {
        const parts = shapes.map((shape, i) => part(shape, i + 1, dtype));
        const positiveAxis = axis < 0 ? shapes[0]!.length + axis : axis;
        const result = tf.concat(
          parts.map((p) => p.tensor),
          axis,
        );
        expect(result.dtype).toBe(dtype);
        const outShape = [...shapes[0]!];
        outShape[positiveAxis] = shapes.reduce((n, s) => n + s[positiveAxis]!, 0);
        expect(result.shape).toEqual(outShape);
        expect(Array.from(result.dataSync())).toEqual(expected(parts, positiveAxis));
        result.dispose();
        for (const p of parts) p.tensor.dispose();
      });
    }
  }

  it('passes one input through and skips empty inputs', () => {
    const a = part([2, 1], 1, 'float32');
    const empty = tf.tensor([], [2, 0], 'float32');
    const single = tf.concat([a.tensor], 1);
    const withEmpty = tf.concat([a.tensor, empty], 1);
    expect(Array.from(single.dataSync())).toEqual(a.values);
    expect(Array.from(withEmpty.dataSync())).toEqual(a.values);
    expect(withEmpty.shape).toEqual([2, 1]);
    for (const t of [a.tensor, empty, single, withEmpty]) t.dispose();
  });

  it('leaves no tensor behind', () => {
    const before = runtime.memory().numTensors;
    tf.tidy(() => {
      const parts = [0, 1, 2].map((i) => part([1, 8, 8, 1], i, 'float32').tensor);
      return tf.concat(parts, 3);
    }).dispose();
    expect(runtime.memory().numTensors).toBe(before);
  });
});
