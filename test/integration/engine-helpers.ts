// Shared by the engine integration tests: the package's sample photos, single-face portraits
// cut from them, and small image transformations made with sharp.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { FaceEngine } from '../../core/face/engine';
import type { Box, DetectedFace, DetectionResult, ImageInput } from '../../core/face/types';

export const SAMPLE_DIR = 'node_modules/@vladmandic/face-api/demo';
export const sample = (n: number): Buffer => readFileSync(`${SAMPLE_DIR}/sample${n}.jpg`);
export const encoded = (data: Uint8Array): ImageInput => ({ kind: 'encoded', data });

export function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

export interface Portrait {
  /** JPEG bytes of one person, face in the middle with a margin around it. */
  jpeg: Buffer;
  /** The face box in the portrait (from the detection on the full photo). */
  box: Box;
  width: number;
  height: number;
}

/**
 * Single-face portraits from the group photos: every face the engine finds in the samples,
 * cut with `margin` box sizes around it and scaled so the face is about `faceWidth` px wide.
 */
export async function portraits(
  engine: FaceEngine,
  samples: number[],
  margin = 0.9,
  faceWidth = 180,
): Promise<Portrait[]> {
  const out: Portrait[] = [];
  for (const n of samples) {
    const photo = sample(n);
    const result = await engine.detect(encoded(photo), { detectorInputSize: 608 });
    const meta = await sharp(photo).metadata();
    for (const face of result.faces) {
      const b = face.box;
      const left = Math.max(0, Math.round(b.x - margin * b.width));
      const top = Math.max(0, Math.round(b.y - margin * b.height));
      const width = Math.min(meta.width! - left, Math.round(b.width * (1 + 2 * margin)));
      const height = Math.min(meta.height! - top, Math.round(b.height * (1 + 2 * margin)));
      const scale = faceWidth / b.width;
      const w = Math.round(width * scale);
      const jpeg = await sharp(photo)
        .extract({ left, top, width, height })
        .resize({ width: w })
        .jpeg({ quality: 92 })
        .toBuffer();
      const { height: h } = await sharp(jpeg).metadata();
      out.push({
        jpeg,
        width: w,
        height: h!,
        box: {
          x: (b.x - left) * scale,
          y: (b.y - top) * scale,
          width: b.width * scale,
          height: b.height * scale,
        },
      });
    }
  }
  return out;
}

/** The face nearest the image centre: in a portrait, the person it was cut for. */
export function mainFace(result: DetectionResult): DetectedFace {
  if (result.faces.length === 0) throw new Error('no face found');
  const off = (f: DetectedFace) =>
    Math.hypot(
      f.box.x + f.box.width / 2 - result.width / 2,
      f.box.y + f.box.height / 2 - result.height / 2,
    );
  return result.faces.reduce((best, f) => (off(f) < off(best) ? f : best));
}
