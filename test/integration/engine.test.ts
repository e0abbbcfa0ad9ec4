// The face engine end to end, in its worker thread, on real weights and the package's sample
// photos (and images transformed here with sharp). One engine for the whole file.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../core/face/engine';
import { FaceEngineError, createFaceEngine } from '../../core/face/engine';
import type { DetectOptions } from '../../core/face/pipeline';
import type { Portrait } from './engine-helpers';
import { pngBomb } from '../fixtures/engine/png-bomb';
import { distance, encoded, mainFace, portraits, sample } from './engine-helpers';

let engine: FaceEngine;
let people: Portrait[];
let reference: Float32Array[];

async function errorOf(promise: Promise<unknown>): Promise<FaceEngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FaceEngineError);
  return error as FaceEngineError;
}

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  engine = await createFaceEngine({ workers: 1 });
  people = await portraits(engine, [3, 6]);
  reference = [];
  for (const person of people) {
    reference.push(
      mainFace(await engine.detect(encoded(person.jpeg), { detector: 'ssd' })).descriptor,
    );
  }
});

afterAll(async () => {
  await engine?.close();
});

describe('backend and detection', () => {
  it('reports the backend it runs', () => {
    const expected = process.env.FACE_BACKEND || (tfjsNodeInstalled() ? 'node' : 'wasm');
    expect(engine.backend).toBe(expected);
  });

  it('finds several faces in a group photo, each fully described', async () => {
    const result = await engine.detect(encoded(sample(6)), { detectorInputSize: 608 });
    expect(result.width).toBe(1920);
    expect(result.faces.length).toBeGreaterThanOrEqual(4);
    for (const face of result.faces) {
      expect(face.score).toBeGreaterThan(0.5);
      expect(face.landmarks).toHaveLength(68);
      expect(face.descriptor).toBeInstanceOf(Float32Array);
      expect(face.descriptor).toHaveLength(128);
      // Landmarks sit in the box (give or take the jaw line).
      const inBox = face.landmarks.filter(
        (p) =>
          p.x >= face.box.x - 0.2 * face.box.width &&
          p.x <= face.box.x + 1.2 * face.box.width &&
          p.y >= face.box.y - 0.2 * face.box.height &&
          p.y <= face.box.y + 1.2 * face.box.height,
      );
      expect(inBox.length).toBe(68);
      expect(Number.isFinite(face.quality.sharpness)).toBe(true);
    }
    for (const stage of ['decode', 'detect', 'landmarks', 'descriptor', 'quality', 'total']) {
      expect(result.timings[stage]).toBeGreaterThanOrEqual(0);
    }
  });

  it('the portraits are of different people: no pair is within 0.5', () => {
    expect(people.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < reference.length; i++)
      for (let j = i + 1; j < reference.length; j++)
        expect(distance(reference[i]!, reference[j]!)).toBeGreaterThan(0.5);
  });

  it('a raw RGBA frame gives the same result as the same pixels encoded', async () => {
    const png = await sharp(people[0]!.jpeg).png().toBuffer();
    const { data, info } = await sharp(png)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const fromFrame = await engine.describeSingleFace({
      kind: 'rgba',
      data: new Uint8Array(data),
      width: info.width,
      height: info.height,
    });
    const fromPng = await engine.describeSingleFace(encoded(png));
    expect(distance(fromFrame.face.descriptor, fromPng.face.descriptor)).toBeLessThan(1e-4);
  });
});

describe('the same face still matches after transformations, other faces do not', () => {
  const transforms: [string, (jpeg: Buffer) => Promise<Buffer>][] = [
    ['mirror', (b) => sharp(b).flop().toBuffer()],
    [
      'scaled to 70%',
      (b) =>
        sharp(b)
          .resize({ width: Math.round(0.7 * 504) })
          .toBuffer(),
    ],
    ['brighter', (b) => sharp(b).modulate({ brightness: 1.3 }).toBuffer()],
    ['darker', (b) => sharp(b).modulate({ brightness: 0.7 }).toBuffer()],
    ['JPEG quality 20', (b) => sharp(b).jpeg({ quality: 20 }).toBuffer()],
    ['rotated 5 degrees', (b) => sharp(b).rotate(5, { background: '#808080' }).toBuffer()],
  ];
  // SSD here: the subject is the descriptor's invariance, not the fast detector's recall.
  for (const [name, transform] of transforms) {
    it(name, async () => {
      for (const [i, person] of people.entries()) {
        const result = await engine.detect(encoded(await transform(person.jpeg)), {
          detector: 'ssd',
        });
        const face = mainFace(result);
        const distances = reference.map((ref) => distance(face.descriptor, ref));
        // Matches its own reference well under 0.5 ...
        expect(distances[i]).toBeLessThan(0.35);
        // ... and nobody else's.
        distances.forEach((d, j) => {
          if (j !== i) expect(d).toBeGreaterThan(0.5);
        });
      }
    });
  }
});

describe('each quality reason fires on an image built for it', () => {
  const person = () => people[0]!;
  const only = async (bytes: Buffer, opts: DetectOptions = {}) => {
    const result = await engine.detect(encoded(bytes), opts);
    expect(result.faces).toHaveLength(1);
    return result.faces[0]!.quality;
  };

  it('the untouched portrait is acceptable', async () => {
    const quality = await only(person().jpeg);
    expect(quality.reasons).toEqual([]);
    expect(quality.acceptable).toBe(true);
    expect(quality.faceSizePx).toBeGreaterThan(120);
  });

  it('too_small: the face 60 px wide in a 640 x 480 frame', async () => {
    const p = person();
    const small = await sharp(p.jpeg)
      .resize({ width: Math.round((p.width * 60) / p.box.width) })
      .toBuffer();
    const frame = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#777777' },
    })
      .composite([{ input: small, left: 300, top: 200 }])
      .jpeg()
      .toBuffer();
    const quality = await only(frame, { detectorInputSize: 608 });
    expect(quality.reasons).toContain('too_small');
    expect(quality.faceSizePx).toBeLessThan(80);
  });

  it('blurry: Gaussian blur', async () => {
    const quality = await only(await sharp(person().jpeg).blur(2).toBuffer());
    expect(quality.reasons).toEqual(['blurry']);
  });

  it('too_dark: a quarter of the light', async () => {
    const quality = await only(await sharp(person().jpeg).linear(0.25, 0).toBuffer());
    expect(quality.reasons).toContain('too_dark');
    expect(quality.reasons).not.toContain('blurry');
  });

  it('partly_out_of_frame: the left third of the face cut off', async () => {
    const p = person();
    const left = Math.round(p.box.x + p.box.width * 0.3);
    const cut = await sharp(p.jpeg)
      .extract({ left, top: 0, width: p.width - left, height: p.height })
      .toBuffer();
    const quality = await only(cut);
    expect(quality.cutByFrameEdge).toBe(true);
    expect(quality.reasons).toContain('partly_out_of_frame');
  });

  it('turned_away: one half of the face squeezed to a third of its width', async () => {
    const p = person();
    const mid = Math.round(p.box.x + p.box.width / 2);
    const squeezed = Math.round(mid * 0.35);
    const leftHalf = await sharp(p.jpeg)
      .extract({ left: 0, top: 0, width: mid, height: p.height })
      .resize({ width: squeezed, height: p.height, fit: 'fill' })
      .toBuffer();
    const rightHalf = await sharp(p.jpeg)
      .extract({ left: mid, top: 0, width: p.width - mid, height: p.height })
      .toBuffer();
    const turned = await sharp({
      create: {
        width: squeezed + p.width - mid,
        height: p.height,
        channels: 3,
        background: '#000',
      },
    })
      .composite([
        { input: leftHalf, left: 0, top: 0 },
        { input: rightHalf, left: squeezed, top: 0 },
      ])
      .jpeg()
      .toBuffer();
    const quality = await only(turned);
    expect(Math.abs(quality.yawDeg)).toBeGreaterThan(30);
    expect(quality.reasons).toEqual(['turned_away']);
  });

  it('thresholds can be loosened per call', async () => {
    const quality = await only(await sharp(person().jpeg).blur(2).toBuffer(), {
      quality: { minSharpness: 1 },
    });
    expect(quality.acceptable).toBe(true);
  });
});

describe('bad input gets a typed error, never a crash', () => {
  const cases: [string, () => Promise<Uint8Array>, string][] = [
    ['empty buffer', async () => new Uint8Array(0), 'empty_input'],
    ['a text file', async () => readFileSync('package.json'), 'unsupported_format'],
    ['a truncated JPEG', async () => sample(2).subarray(0, 60_000), 'corrupt_image'],
  ];
  for (const [name, bytes, code] of cases) {
    it(`${name} → ${code}`, async () => {
      expect((await errorOf(engine.detect(encoded(await bytes())))).code).toBe(code);
    });
  }

  it('a 30,000 x 30,000 PNG → image_too_large (from its header)', async () => {
    const error = await errorOf(engine.detect(encoded(pngBomb(30_000, 30_000))));
    expect(error.code).toBe('image_too_large');
    expect(error.details).toMatchObject({ width: 30_000, height: 30_000 });
  });

  it('an RGBA frame of the wrong length → invalid_frame', async () => {
    const error = await errorOf(
      engine.detect({ kind: 'rgba', data: new Uint8Array(100), width: 640, height: 480 }),
    );
    expect(error.code).toBe('invalid_frame');
  });

  it('no face → no_face from describeSingleFace; detect returns an empty list', async () => {
    const wall = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#a08060' },
    })
      .jpeg()
      .toBuffer();
    expect((await engine.detect(encoded(wall))).faces).toEqual([]);
    expect((await errorOf(engine.describeSingleFace(encoded(wall)))).code).toBe('no_face');
  });

  it('several faces → several_faces from describeSingleFace', async () => {
    const error = await errorOf(engine.describeSingleFace(encoded(sample(3))));
    expect(error.code).toBe('several_faces');
    expect(Number(error.details.faces)).toBeGreaterThan(1);
  });

  it('a bad detector input size → invalid_options', async () => {
    expect(
      (await errorOf(engine.detect(encoded(people[0]!.jpeg), { detectorInputSize: 100 }))).code,
    ).toBe('invalid_options');
  });

  it('the engine still works after all of that', async () => {
    const result = await engine.describeSingleFace(encoded(people[1]!.jpeg));
    expect(distance(result.face.descriptor, reference[1]!)).toBeLessThan(0.2);
  });
});

describe('tracking', () => {
  it('track: finds the same face near its previous box, and falls back to the whole frame', async () => {
    const portrait = encoded(people[1]!.jpeg);
    const first = await engine.detect(portrait);
    expect(first.faces).toHaveLength(1);
    const tracked = await engine.detect(portrait, { track: first.faces.map((f) => f.box) });
    expect(tracked.faces).toHaveLength(1);
    const [a, b] = [first.faces[0]!, tracked.faces[0]!];
    expect(Math.abs(a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2))).toBeLessThan(
      0.15 * a.box.width,
    );
    expect(distance(a.descriptor, b.descriptor)).toBeLessThan(0.2);
    // A box where no face is any more: the whole frame is searched and the face found there.
    const stale = await engine.detect(portrait, {
      track: [{ x: 0, y: 0, width: 120, height: 120 }],
    });
    expect(stale.faces).toHaveLength(1);
    expect(distance(stale.faces[0]!.descriptor, a.descriptor)).toBeLessThan(0.05);
  });
});

describe('tight ID-style crops', () => {
  it('padToFindTightCrop finds the face in crops the plain detector misses', async () => {
    const crops: Buffer[] = [];
    for (const p of people) {
      for (const [scale, shiftX] of [
        [0.9, 0],
        [1.0, -0.05],
        [1.05, 0.05],
      ] as const) {
        const w = p.box.width * scale;
        const h = p.box.height * scale * 1.15;
        const left = Math.max(
          0,
          Math.round(p.box.x + p.box.width / 2 - w / 2 + shiftX * p.box.width),
        );
        const top = Math.max(0, Math.round(p.box.y + p.box.height / 2 - h / 2));
        crops.push(
          await sharp(p.jpeg)
            .extract({
              left,
              top,
              width: Math.min(p.width - left, Math.round(w)),
              height: Math.min(p.height - top, Math.round(h)),
            })
            .resize({ width: 240 })
            .jpeg({ quality: 90 })
            .toBuffer(),
        );
      }
    }
    let plain = 0;
    let padded = 0;
    for (const crop of crops) {
      if ((await engine.detect(encoded(crop), { skipDescriptors: true })).faces.length) plain++;
      const result = await engine.detect(encoded(crop), {
        padToFindTightCrop: true,
        skipDescriptors: true,
      });
      if (result.faces.length) {
        padded++;
        // Coordinates are those of the crop, not of the padded image.
        const face = result.faces[0]!;
        expect(face.box.x + face.box.width / 2).toBeGreaterThan(0);
        expect(face.box.x + face.box.width / 2).toBeLessThan(240);
      }
    }
    expect(padded).toBe(crops.length);
    expect(plain).toBeLessThan(crops.length);
  });
});

describe('worker crash and model files', () => {
  it('a crashed worker fails the call in flight with worker_crashed, then serves again', async () => {
    const inFlight = engine.detect(encoded(sample(2)));
    (engine as unknown as { crashWorkerForTest(i?: number): void }).crashWorkerForTest(0);
    const error = await errorOf(inFlight);
    expect(error.code).toBe('worker_crashed');
    const after = await engine.describeSingleFace(encoded(people[0]!.jpeg));
    expect(distance(after.face.descriptor, reference[0]!)).toBeLessThan(0.2);
  });

  it('a missing or corrupt weight file is a typed error naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'face-models-'));
    try {
      cpSync('models', dir, { recursive: true });
      const bin = join(dir, 'face_landmark_68_model.bin');
      const bytes = readFileSync(bin);
      bytes[1000] = bytes[1000]! ^ 0xff;
      writeFileSync(bin, bytes);
      const corrupt = await errorOf(createFaceEngine({ modelsDir: dir }));
      expect(corrupt.code).toBe('model_corrupt');
      expect(corrupt.message).toContain('face_landmark_68_model.bin');

      unlinkSync(join(dir, 'tiny_face_detector_model.bin'));
      const missing = await errorOf(createFaceEngine({ modelsDir: dir }));
      expect(missing.code).toBe('model_missing');
      expect(missing.details.file).toBe('tiny_face_detector_model.bin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('backend choice: FACE_BACKEND is validated; node without tfjs-node is a clear error', async () => {
    const saved = process.env.FACE_BACKEND;
    process.env.FACE_BACKEND = 'gpu';
    try {
      expect((await errorOf(createFaceEngine())).code).toBe('invalid_options');
    } finally {
      if (saved === undefined) delete process.env.FACE_BACKEND;
      else process.env.FACE_BACKEND = saved;
    }
    if (!tfjsNodeInstalled()) {
      const error = await errorOf(createFaceEngine({ backend: 'node' }));
      expect(error.code).toBe('backend_unavailable');
      expect(error.message).toContain('tfjs-node');
    }
  });

  it('a closed engine refuses calls with engine_closed', async () => {
    const other = await createFaceEngine({ backend: 'cpu' });
    expect(other.backend).toBe('cpu');
    await other.close();
    expect((await errorOf(other.detect(encoded(people[0]!.jpeg)))).code).toBe('engine_closed');
  });
});
