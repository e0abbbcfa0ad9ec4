// Test images for the desk, made at run time from face-api's own sample photos (nothing copied
// into the repo): single-face crops, mirrored and slightly rotated for pose variety, and the
// classic bad inputs (too dark, too far, two people).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FaceEngine } from '../../core/face/engine';
import type { Box, ImageInput } from '../../core/face/types';

const SAMPLES = join(process.cwd(), 'node_modules/@vladmandic/face-api/demo');

export function sample(n: number): Buffer {
  return readFileSync(join(SAMPLES, `sample${n}.jpg`));
}

export function encoded(data: Buffer): ImageInput {
  return { kind: 'encoded', data: new Uint8Array(data) };
}

/** The faces of a sample photo, left to right. */
export async function faceBoxes(engine: FaceEngine, n: number): Promise<Box[]> {
  const result = await engine.detect(encoded(sample(n)));
  return result.faces.map((f) => f.box).sort((a, b) => a.x - b.x);
}

/** One person: the face box with a generous margin, as a ~400 px wide JPEG. */
export async function crop(n: number, box: Box, margin = 0.6): Promise<Buffer> {
  const image = sharp(sample(n));
  const meta = await image.metadata();
  const left = Math.max(0, Math.round(box.x - box.width * margin));
  const top = Math.max(0, Math.round(box.y - box.height * margin));
  const width = Math.min(meta.width! - left, Math.round(box.width * (1 + 2 * margin)));
  const height = Math.min(meta.height! - top, Math.round(box.height * (1 + 2 * margin)));
  return image.extract({ left, top, width, height }).resize({ width: 400 }).jpeg().toBuffer();
}

export const mirror = (jpeg: Buffer) => sharp(jpeg).flop().jpeg().toBuffer();
export const rotate = (jpeg: Buffer, deg: number) =>
  sharp(jpeg).rotate(deg, { background: '#808080' }).resize({ width: 400 }).jpeg().toBuffer();
export const darken = (jpeg: Buffer) => sharp(jpeg).modulate({ brightness: 0.2 }).jpeg().toBuffer();
/** The same face far from the camera: small in a large grey frame. */
export const far = (jpeg: Buffer) =>
  sharp(jpeg)
    .resize({ width: 90 })
    .extend({ top: 200, bottom: 200, left: 280, right: 280, background: '#808080' })
    .jpeg()
    .toBuffer();
