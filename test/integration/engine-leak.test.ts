// No tensor leak: after 1,000 small frames through every path (faces with and without
// descriptors, empty frames, the tight-crop padding passes, bad input) the workers hold exactly
// the tensors they held after 10.
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../core/face/engine';
import { FaceEngineError, createFaceEngine } from '../../core/face/engine';
import type { DetectOptions } from '../../core/face/pipeline';
import type { ImageInput } from '../../core/face/types';
import { encoded, mainFace, sample } from './engine-helpers';

const W = 160;
const H = 120;
let engine: FaceEngine;
let faceFrame: ImageInput;
let mirroredFrame: ImageInput;
let emptyFrame: ImageInput;

async function rgba(image: sharp.Sharp): Promise<ImageInput> {
  const { data } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { kind: 'rgba', data: new Uint8Array(data), width: W, height: H };
}

beforeAll(async () => {
  engine = await createFaceEngine({ workers: 1, detectorInputSize: 160 });
  const photo = sample(2);
  const face = mainFace(
    await engine.detect(encoded(photo), { detectorInputSize: 416, skipDescriptors: true }),
  ).box;
  // A 160 x 120 frame with the face about 60 px wide in the middle.
  const scale = 60 / face.width;
  const cropW = Math.round(W / scale);
  const cropH = Math.round(H / scale);
  const crop = sharp(photo).extract({
    left: Math.round(face.x + face.width / 2 - cropW / 2),
    top: Math.round(face.y + face.height / 2 - cropH / 2),
    width: cropW,
    height: cropH,
  });
  const small = await crop.resize(W, H).png().toBuffer();
  faceFrame = await rgba(sharp(small));
  mirroredFrame = await rgba(sharp(small).flop());
  emptyFrame = await rgba(
    sharp({ create: { width: W, height: H, channels: 3, background: '#5a6a7a' } }),
  );
});

afterAll(async () => {
  await engine?.close();
});

async function frame(i: number): Promise<number> {
  // Mostly cheap frames (an empty frame only runs the detector) so 1,000 stay quick; every
  // path still runs hundreds of times.
  const calls: [ImageInput, DetectOptions][] = [
    [faceFrame, {}],
    [emptyFrame, {}],
    [mirroredFrame, { skipDescriptors: true }],
    [emptyFrame, {}],
    [emptyFrame, {}],
  ];
  if (i % 50 === 7) {
    const error = await engine
      .detect({ kind: 'rgba', data: new Uint8Array(12), width: W, height: H })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaceEngineError);
    return 0;
  }
  if (i % 100 === 3) {
    // No face anywhere: every padding pass runs.
    return (await engine.detect(emptyFrame, { padToFindTightCrop: true })).faces.length;
  }
  const [input, opts] = calls[i % calls.length]!;
  return (await engine.detect(input, opts)).faces.length;
}

it('tf.memory().numTensors is the same after 1,000 frames as after 10', async () => {
  let faces = 0;
  for (let i = 0; i < 10; i++) faces += await frame(i);
  const after10 = await engine.memory();
  for (let i = 10; i < 1000; i++) faces += await frame(i);
  const after1000 = await engine.memory();
  expect(after1000.numTensors).toBe(after10.numTensors);
  expect(after1000.numBytes).toBe(after10.numBytes);
  // The frames really went through the face paths (not all refused or empty).
  expect(faces).toBeGreaterThan(300);
}, 600_000);
