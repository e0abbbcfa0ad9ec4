// Face engine speed: ms per stage and frames per second on 640x480 one-face frames made from
// the face-api sample photos, against plain face-api in this same process:
//   detectAllFaces(frame, new TinyFaceDetectorOptions()).withFaceLandmarks().withFaceDescriptors()
// frame after frame. Ours: createFaceEngine({ workers: 2 }) with its default detector input,
// two frames in flight so both cores work. Each figure is the median of RUNS runs.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { loadBackend } from '../../core/face/backend';
import type { DetectOptions, FaceEngine } from '../../core/face/engine';
import { createFaceEngine } from '../../core/face/engine';
import { loadModels } from '../../core/face/models';
import { DEFAULT_DETECTOR_INPUT_SIZE } from '../../core/face/pipeline';
import type { Box, ImageInput } from '../../core/face/types';
import type { Report } from './report';
import { median, peakRssMiB, percentile } from './report';

const RUNS = Number(process.env.ENGINE_BENCH_RUNS ?? 3);
const FRAMES = Number(process.env.ENGINE_BENCH_FRAMES ?? 30);
const WARMUP = 4;
const WIDTH = 640;
const HEIGHT = 480;
const TRACK_RUN = 6;

type Frame = Extract<ImageInput, { kind: 'rgba' }>;

/**
 * One face per frame, about 170 px wide (a guest a metre or so from the kiosk camera): the face
 * with some hair and shoulders cut from a sample photo, on a plain backdrop (the group photos
 * would otherwise bring their neighbours into the frame).
 */
async function makeFrames(engine: FaceEngine): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const n of [2, 3, 6]) {
    const photo = readFileSync(`node_modules/@vladmandic/face-api/demo/sample${n}.jpg`);
    const result = await engine.detect(
      { kind: 'encoded', data: photo },
      { detectorInputSize: 608, skipDescriptors: true },
    );
    const meta = await sharp(photo).metadata();
    for (const face of result.faces.slice(0, 2)) {
      const b = face.box;
      const left = clamp(Math.round(b.x - 0.3 * b.width), 0, meta.width! - 1);
      const top = clamp(Math.round(b.y - 0.45 * b.height), 0, meta.height! - 1);
      const width = Math.min(meta.width! - left, Math.round(1.6 * b.width));
      const height = Math.min(meta.height! - top, Math.round(1.9 * b.height));
      const scale = 170 / b.width;
      const patch = await sharp(photo)
        .extract({ left, top, width, height })
        .resize(Math.round(width * scale), Math.round(height * scale))
        .toBuffer();
      const { data } = await sharp({
        create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#8a8f96' },
      })
        .composite([{ input: patch, left: Math.round(WIDTH / 2 - (width * scale) / 2), top: 60 }])
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      frames.push({ kind: 'rgba', data: new Uint8Array(data), width: WIDTH, height: HEIGHT });
    }
  }
  return frames;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Plain face-api on this thread, the way its README shows, frame after frame. */
async function plainRun(
  frames: Frame[],
  count: number,
): Promise<{ fps: number; msPerFrame: number[]; faces: number }> {
  const { faceapi } = await loadBackend();
  loadModels(faceapi);
  const tf = faceapi.tf;
  const rgb = frames.map((f) => {
    const out = new Uint8Array(WIDTH * HEIGHT * 3);
    for (let i = 0, j = 0; i < f.data.length; i += 4, j += 3) {
      out[j] = f.data[i]!;
      out[j + 1] = f.data[i + 1]!;
      out[j + 2] = f.data[i + 2]!;
    }
    return out;
  });
  const one = async (i: number) => {
    const tensor = tf.tensor3d(rgb[i % rgb.length]!, [HEIGHT, WIDTH, 3], 'int32');
    const result = await faceapi
      .detectAllFaces(tensor, new faceapi.TinyFaceDetectorOptions())
      .withFaceLandmarks()
      .withFaceDescriptors();
    tensor.dispose();
    return result.length;
  };
  for (let i = 0; i < WARMUP; i++) await one(i);
  const msPerFrame: number[] = [];
  let faces = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    faces += await one(i);
    msPerFrame.push(performance.now() - t);
  }
  return { fps: (count * 1000) / (performance.now() - start), msPerFrame, faces };
}

/** Our engine: `inFlight` frames submitted at once (2 = one per worker, pipelined). */
async function engineRun(
  engine: FaceEngine,
  frames: Frame[],
  count: number,
  inFlight: number,
  opts: DetectOptions,
  tracked = false,
): Promise<{ fps: number; msPerFrame: number[]; stages: Record<string, number[]>; faces: number }> {
  for (let i = 0; i < WARMUP; i++)
    await Promise.all([
      engine.detect(frames[i % frames.length]!, opts),
      engine.detect(frames[(i + 1) % frames.length]!, opts),
    ]);
  const msPerFrame: number[] = [];
  const stages: Record<string, number[]> = {};
  let next = 0;
  let faces = 0;
  const start = performance.now();
  const lane = async () => {
    let previous: Box[] = [];
    while (next < count) {
      // Tracked: a guest stands in front of the camera for TRACK_RUN frames, and each frame
      // looks for the faces of the previous result first.
      const n = next++;
      const frame = frames[(tracked ? Math.floor(n / TRACK_RUN) : n) % frames.length]!;
      const t = performance.now();
      const result = await engine.detect(
        frame,
        tracked && previous.length ? { ...opts, track: previous } : opts,
      );
      msPerFrame.push(performance.now() - t);
      previous = result.faces.map((f) => f.box);
      faces += result.faces.length;
      for (const [stage, ms] of Object.entries(result.timings)) (stages[stage] ??= []).push(ms);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { fps: (count * 1000) / (performance.now() - start), msPerFrame, stages, faces };
}

/** The detector input we run at kiosk distance (faces >= ~80 px in a 640x480 frame). */
const KIOSK_INPUT_SIZE = Number(process.env.ENGINE_BENCH_INPUT ?? 224);

export async function run(report: Report): Promise<void> {
  const engine = await createFaceEngine({ workers: 2 });
  try {
    const frames = await makeFrames(engine);
    const kiosk: DetectOptions = { detectorInputSize: KIOSK_INPUT_SIZE };
    const byDefault: DetectOptions = { detectorInputSize: DEFAULT_DETECTOR_INPUT_SIZE };
    type Run = Awaited<ReturnType<typeof engineRun>>;
    const plain: Awaited<ReturnType<typeof plainRun>>[] = [];
    const ours: Run[] = [];
    const oursDefault: Run[] = [];
    const latency: Run[] = [];
    const tracked: Run[] = [];
    const trackedLatency: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      plain.push(await plainRun(frames, FRAMES));
      ours.push(await engineRun(engine, frames, FRAMES, 2, kiosk));
      oursDefault.push(await engineRun(engine, frames, FRAMES, 2, byDefault));
      latency.push(await engineRun(engine, frames, Math.ceil(FRAMES / 2), 1, kiosk));
      tracked.push(await engineRun(engine, frames, FRAMES, 2, kiosk, true));
      trackedLatency.push(await engineRun(engine, frames, Math.ceil(FRAMES / 2), 1, kiosk, true));
    }
    const note = `backend ${engine.backend}, ${availableParallelism()} cores, ${frames.length} distinct ${WIDTH}x${HEIGHT} one-face frames, ${FRAMES} frames x ${RUNS} runs; plain = tiny 416 on this thread`;
    const plainFps = median(plain.map((p) => p.fps));
    const fps = (runs: Run[]) => median(runs.map((o) => o.fps));
    report({
      name: 'engine.fps',
      value: fps(ours),
      unit: 'frames/s',
      baseline: plainFps,
      ratio: fps(ours) / plainFps,
      note: `2 workers, 2 frames in flight, tiny ${KIOSK_INPUT_SIZE}; ${note}`,
    });
    report({
      name: `engine.fps.input${DEFAULT_DETECTOR_INPUT_SIZE}`,
      value: fps(oursDefault),
      unit: 'frames/s',
      baseline: plainFps,
      ratio: fps(oursDefault) / plainFps,
      note: `2 workers, 2 frames in flight, the engine's default tiny ${DEFAULT_DETECTOR_INPUT_SIZE}`,
    });
    report({
      name: 'engine.fps.tracked',
      value: fps(tracked),
      unit: 'frames/s',
      baseline: plainFps,
      ratio: fps(tracked) / plainFps,
      note: `as engine.fps, each guest ${TRACK_RUN} frames, detect({ track: previous boxes })`,
    });
    const plainMs = median(plain.map((p) => median(p.msPerFrame)));
    const trackedMs = median(trackedLatency.map((o) => median(o.msPerFrame)));
    report({
      name: 'engine.ms_per_frame.tracked',
      value: trackedMs,
      unit: 'ms',
      baseline: plainMs,
      ratio: plainMs / trackedMs,
      note: `one frame in flight, tracked; detect stage ${median(trackedLatency.map((o) => median(o.stages.detect ?? [0]))).toFixed(1)} ms`,
    });
    const ourMs = median(latency.map((o) => median(o.msPerFrame)));
    report({
      name: 'engine.ms_per_frame',
      value: ourMs,
      unit: 'ms',
      baseline: plainMs,
      ratio: plainMs / ourMs,
      note: `one frame in flight, round trip through the worker, tiny ${KIOSK_INPUT_SIZE}; p90 ${percentile(
        latency.flatMap((o) => o.msPerFrame),
        90,
      ).toFixed(1)} ms`,
    });
    const throughputMs = 1000 / fps(ours);
    report({
      name: 'engine.ms_per_frame.throughput',
      value: throughputMs,
      unit: 'ms',
      baseline: 1000 / plainFps,
      ratio: 1000 / plainFps / throughputMs,
      note: '1000 / fps with 2 frames in flight',
    });
    for (const stage of [
      'decode',
      'tensor',
      'detect',
      'landmarks',
      'descriptor',
      'quality',
      'total',
    ]) {
      const value = median(latency.map((o) => median(o.stages[stage] ?? [0])));
      report({
        name: `engine.stage.${stage}`,
        value,
        unit: 'ms',
        baseline: null,
        ratio: null,
        note: `inside the worker, one frame in flight, tiny ${KIOSK_INPUT_SIZE}`,
      });
    }
    const perFrame = (runs: { faces: number }[]) =>
      runs.reduce((s, o) => s + o.faces, 0) / (RUNS * FRAMES);
    report({
      name: 'engine.faces_per_frame',
      value: perFrame(ours),
      unit: 'faces',
      baseline: perFrame(plain),
      ratio: null,
      note: 'each frame holds one face: 1.0 means none missed',
    });
    report({
      name: 'engine.peak_rss',
      value: peakRssMiB(),
      unit: 'MiB',
      baseline: null,
      ratio: null,
      note: 'whole process: both workers and the plain run',
    });
  } finally {
    await engine.close();
  }
}
