// Photos → a .y4m camera video for Chromium's fake capture device
// (--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m).
// Each "shot" crops a region of a photo, optionally drifts the crop (a person is never still),
// changes brightness, and holds it for some frames. Used by `npm run demo` and the e2e tests.
//
//   npm run fake-camera -- --out cam.y4m photo.jpg[@x,y,w,h][*frames] ...
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Someone in front of the camera: a sample person cut out of their photo (soft oval edge). */
export interface Person {
  face: SampleFace;
  /** Centre of the face as a share of the frame width/height. */
  x: number;
  y: number;
  /** Face height as a share of the frame height (about 0.3-0.45 at arm's length). */
  size: number;
}

export interface Shot {
  /** A photo file (JPEG/PNG) shown as the whole picture; omit for a scene on a plain wall. */
  photo?: string;
  /** Region of the photo shown; default the whole photo. */
  crop?: Rect;
  /** People standing in front of the wall (ignored with `photo`). */
  people?: Person[];
  /** Over the shot, everything moves by this share of the frame and grows by `zoom`. */
  drift?: { dx: number; dy: number; zoom?: number };
  frames: number;
  /** 1 = unchanged. */
  brightness?: number;
}

export interface VideoOptions {
  width?: number;
  height?: number;
  fps?: number;
}

export const SAMPLES_DIR = fileURLToPath(
  new URL('../node_modules/@vladmandic/face-api/demo/', import.meta.url),
);
export const samplePhoto = (n: number) => `${SAMPLES_DIR}sample${n}.jpg`;

/**
 * People in the face-api sample photos (several photos show more than one person): where each
 * face is, in the photo's own pixels. Found once with the engine's SSD detector.
 */
export const SAMPLE_FACES = {
  curly: { photo: 3, box: { x: 585, y: 329, width: 199, height: 271 } },
  bun: { photo: 3, box: { x: 1514, y: 292, width: 170, height: 280 } },
  red: { photo: 6, box: { x: 1180, y: 305, width: 188, height: 280 } },
  green: { photo: 6, box: { x: 1487, y: 263, width: 212, height: 296 } },
  stairs: { photo: 5, box: { x: 1113, y: 198, width: 158, height: 236 } },
  front: { photo: 5, box: { x: 377, y: 859, width: 172, height: 301 } },
  olive: { photo: 6, box: { x: 250, y: 468, width: 210, height: 291 } },
} as const satisfies Record<string, { photo: number; box: Rect }>;
export type SampleFace = keyof typeof SAMPLE_FACES;

/** A region around a face: the face takes `share` of the region's height, aspect w/h. */
export function regionAround(
  box: Rect,
  share: number,
  aspect: number,
  shift = { x: 0, y: 0 },
): Rect {
  const height = box.height / share;
  const width = height * aspect;
  const cx = box.x + box.width / 2 + shift.x * box.width;
  const cy = box.y + box.height / 2 + shift.y * box.height;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** A guest at arm's length, slightly off centre, drifting a little as people do. */
export function shotOf(face: SampleFace, frames: number, options: Partial<Shot> = {}): Shot {
  return {
    people: [{ face, x: 0.46, y: 0.45, size: 0.4 }],
    drift: { dx: 0.04, dy: 0.01, zoom: 1.05 },
    frames,
    brightness: 1.05,
    ...options,
  };
}

/** Two people side by side. */
export function pairShot(left: SampleFace, right: SampleFace, frames: number): Shot {
  return {
    people: [
      { face: left, x: 0.3, y: 0.45, size: 0.36 },
      { face: right, x: 0.7, y: 0.47, size: 0.34 },
    ],
    drift: { dx: 0.02, dy: 0, zoom: 1.02 },
    frames,
  };
}

/** An empty scene: nobody in front of the camera. */
export function emptyShot(frames: number): Shot {
  return { frames };
}

/** The enrolment crop of a sample person: the face with a margin, nobody else in it. */
export async function enrolmentPhoto(face: SampleFace): Promise<Uint8Array> {
  const { photo, box } = SAMPLE_FACES[face];
  const region = regionAround(box, 0.62, 0.85);
  return cropTo(samplePhoto(photo), region, Math.round(region.width), Math.round(region.height))
    .jpeg({ quality: 92 })
    .toBuffer();
}

function cropTo(photo: string, region: Rect, width: number, height: number) {
  const image = sharp(photo);
  return image.extract(clampRect(region)).resize(width, height, { fit: 'fill' });
}

function clampRect(r: Rect): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.round(r.x));
  const top = Math.max(0, Math.round(r.y));
  return {
    left,
    top,
    width: Math.max(1, Math.round(r.width)),
    height: Math.max(1, Math.round(r.height)),
  };
}

async function photoSize(photo: string) {
  const meta = await sharp(photo).metadata();
  if (!meta.width || !meta.height) throw new Error(`${photo}: not an image`);
  return { width: meta.width, height: meta.height };
}

/** Keep a crop inside the photo (shrinking it if needed), so sharp never reads outside. */
function fitInside(r: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(r.width, size.width);
  const height = Math.min(r.height, size.height);
  const x = Math.min(Math.max(0, r.x), size.width - width);
  const y = Math.min(Math.max(0, r.y), size.height - height);
  return { x, y, width, height };
}

async function wallFrame(width: number, height: number): Promise<Buffer> {
  // A softly lit wall: a vertical gradient, no face for the detector to find.
  const frame = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = 150 + Math.round((40 * y) / height);
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      frame[i] = v;
      frame[i + 1] = v - 8;
      frame[i + 2] = v - 20;
    }
  }
  return frame;
}

/** A sample person cut out with a soft oval edge, scaled so the face is `faceHeight` px tall. */
const cutouts = new Map<string, Promise<Buffer>>();

/** Cut-outs are cached per face and size (in 2 px steps): decoding a 1920 px JPEG per frame is slow. */
function cutout(face: SampleFace, faceHeight: number): Promise<Buffer> {
  const height = Math.max(8, Math.round(faceHeight / 2) * 2);
  const key = `${face}@${height}`;
  let made = cutouts.get(key);
  if (!made) {
    made = renderCutout(face, height);
    cutouts.set(key, made);
  }
  return made;
}

async function renderCutout(face: SampleFace, faceHeight: number): Promise<Buffer> {
  const { photo, box } = SAMPLE_FACES[face];
  const size = await photoSize(samplePhoto(photo));
  const region = fitInside(regionAround(box, 0.5, 0.78, { x: 0, y: 0.12 }), size);
  const scale = faceHeight / box.height;
  const w = Math.max(8, Math.round(region.width * scale));
  const h = Math.max(8, Math.round(region.height * scale));
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<defs><radialGradient id="g" cx="50%" cy="50%" r="50%">` +
      `<stop offset="80%" stop-color="#fff" stop-opacity="1"/>` +
      `<stop offset="100%" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>` +
      `<ellipse cx="${w / 2}" cy="${h / 2}" rx="${w / 2}" ry="${h / 2}" fill="url(#g)"/></svg>`,
  );
  return sharp(samplePhoto(photo))
    .extract(clampRect(region))
    .resize(w, h, { fit: 'fill' })
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .png()
    .toBuffer();
}

async function sceneFrame(shot: Shot, t: number, width: number, height: number): Promise<Buffer> {
  const wall = await wallFrame(width, height);
  const zoom = 1 + ((shot.drift?.zoom ?? 1) - 1) * t;
  const layers: sharp.OverlayOptions[] = [];
  for (const person of shot.people ?? []) {
    const faceHeight = person.size * height * zoom;
    const image = await cutout(person.face, faceHeight);
    const meta = await sharp(image).metadata();
    const { box } = SAMPLE_FACES[person.face];
    // The face centre sits 0.12 face heights above the cut-out's centre (see regionAround above).
    const cx = (person.x + (shot.drift?.dx ?? 0) * t) * width;
    const cy =
      (person.y + (shot.drift?.dy ?? 0) * t) * height +
      0.12 * box.height * (faceHeight / box.height);
    layers.push({
      input: image,
      left: Math.round(cx - meta.width! / 2),
      top: Math.round(cy - meta.height! / 2),
    });
  }
  let pipeline = sharp(wall, { raw: { width, height, channels: 3 } });
  if (layers.length) {
    // Overlays may hang over the frame edge: composite onto a padded canvas, then cut back.
    const pad = width;
    const padded = await pipeline
      .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#000' })
      .composite(layers.map((l) => ({ ...l, left: l.left! + pad, top: l.top! + pad })))
      .removeAlpha()
      .raw()
      .toBuffer();
    const cut = await sharp(padded, {
      raw: { width: width + 2 * pad, height: height + 2 * pad, channels: 3 },
    })
      .extract({ left: pad, top: pad, width, height })
      .raw()
      .toBuffer();
    pipeline = sharp(cut, { raw: { width, height, channels: 3 } });
  }
  if (shot.brightness && shot.brightness !== 1)
    pipeline = pipeline.modulate({ brightness: shot.brightness });
  return pipeline.removeAlpha().raw().toBuffer();
}

/** The shot's frames as raw RGB (3 bytes a pixel), for ffmpeg or for feeding the kiosk directly. */
export async function* framesOf(shot: Shot, width: number, height: number): AsyncGenerator<Buffer> {
  if (!shot.photo) {
    const still = shot.people?.length ? null : await wallFrame(width, height);
    for (let i = 0; i < shot.frames; i++) {
      const t = shot.frames > 1 ? i / (shot.frames - 1) : 0;
      yield still ?? (await sceneFrame(shot, t, width, height));
    }
    return;
  }
  const size = await photoSize(shot.photo);
  const base = shot.crop ?? { x: 0, y: 0, ...size };
  for (let i = 0; i < shot.frames; i++) {
    const t = shot.frames > 1 ? i / (shot.frames - 1) : 0;
    const zoom = 1 + ((shot.drift?.zoom ?? 1) - 1) * t;
    const w = base.width / zoom;
    const h = base.height / zoom;
    const cx = base.x + base.width / 2 + (shot.drift?.dx ?? 0) * base.width * t;
    const cy = base.y + base.height / 2 + (shot.drift?.dy ?? 0) * base.height * t;
    const region = fitInside({ x: cx - w / 2, y: cy - h / 2, width: w, height: h }, size);
    let pipeline = cropTo(shot.photo, region, width, height);
    if (shot.brightness && shot.brightness !== 1) {
      pipeline = pipeline.modulate({ brightness: shot.brightness });
    }
    yield await pipeline.removeAlpha().raw().toBuffer();
  }
}

/** Write the shots, in order, as one .y4m file (ffmpeg: raw RGB in, YUV 4:2:0 out). */
export async function makeY4m(shots: Shot[], out: string, options: VideoOptions = {}) {
  const { width = 640, height = 480, fps = 10 } = options;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
      '-i',
      '-',
      '-pix_fmt',
      'yuv420p',
      '-f',
      'yuv4mpegpipe',
      out,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ffmpeg.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(ffmpeg, 'close') as Promise<[number | null]>;
  const failed = once(ffmpeg, 'error').then(([e]) => {
    throw new Error(`ffmpeg could not start (is it installed?): ${String(e)}`);
  });
  const write = async () => {
    for (const shot of shots) {
      for await (const frame of framesOf(shot, width, height)) {
        if (!ffmpeg.stdin.write(frame)) await once(ffmpeg.stdin, 'drain');
      }
    }
    ffmpeg.stdin.end();
    const [code] = await exited;
    if (code !== 0) throw new Error(`ffmpeg failed (${code}): ${stderr.trim()}`);
  };
  await Promise.race([write(), failed]);
  return { file: out, frames: shots.reduce((n, s) => n + s.frames, 0), fps, width, height };
}

function parseArgs(argv: string[]) {
  let out = 'camera.y4m';
  let fps = 10;
  const shots: Shot[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') out = argv[++i] ?? out;
    else if (arg === '--fps') fps = Number(argv[++i]);
    else if (arg === '--empty') shots.push(emptyShot(Number(argv[++i] ?? 10)));
    else if (arg in SAMPLE_FACES) shots.push(shotOf(arg as SampleFace, 30));
    else {
      const m = /^(.+?)(?:@(\d+),(\d+),(\d+),(\d+))?(?:\*(\d+))?$/.exec(arg);
      if (!m) throw new Error(`cannot read shot ${arg}`);
      const [, photo, x, y, w, h, frames] = m;
      shots.push({
        photo: photo!,
        ...(x ? { crop: { x: +x, y: +y!, width: +w!, height: +h! } } : {}),
        frames: frames ? Number(frames) : 30,
      });
    }
  }
  if (!shots.length) {
    throw new Error(
      `usage: fake-camera --out FILE.y4m [--fps N] [--empty FRAMES] (photo[@x,y,w,h][*frames] | ${Object.keys(SAMPLE_FACES).join(' | ')}) ...`,
    );
  }
  if (!Number.isInteger(fps) || fps < 1 || fps > 60) throw new Error('--fps is 1 to 60');
  return { out, fps, shots };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { out, fps, shots } = parseArgs(process.argv.slice(2));
    const made = await makeY4m(shots, out, { fps });
    console.log(
      `wrote ${made.file}: ${made.frames} frames, ${made.width}x${made.height} at ${made.fps} fps`,
    );
  } catch (error) {
    console.error(`fake-camera: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
