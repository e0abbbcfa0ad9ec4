// Is this face good enough to match or enrol? Pure functions only: pixel statistics of the face
// crop, a head pose estimate from the 68 landmarks, and one verdict against one threshold object.
import type { Box, Point, QualityReason, QualityReport } from './types';

/** Every threshold of the verdict, in one place. Override any subset per engine or per call. */
export interface QualityThresholds {
  /** Smallest acceptable face (shorter side of the detection box), in pixels. */
  minFaceSizePx: number;
  /** Smallest acceptable distance between the eye centres, in pixels. */
  minInterEyePx: number;
  /** Largest acceptable head turn left/right, degrees. */
  maxYawDeg: number;
  /** Largest acceptable head tilt up/down, degrees. */
  maxPitchDeg: number;
  /** Largest acceptable in-plane head tilt, degrees. */
  maxRollDeg: number;
  /** Smallest acceptable variance of the Laplacian on the face resampled to SHARPNESS_CROP_PX. */
  minSharpness: number;
  /** Mean luma (0..255) of the face: below is too dark, above is too bright. */
  minBrightness: number;
  maxBrightness: number;
  /** Smallest acceptable standard deviation of luma on the face. */
  minContrast: number;
  /** Largest share of the face box that may lie outside the frame. */
  maxOutOfFrameRatio: number;
  /** Smallest acceptable detector score. */
  minScore: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  minFaceSizePx: 80,
  minInterEyePx: 28,
  maxYawDeg: 30,
  maxPitchDeg: 25,
  maxRollDeg: 25,
  minSharpness: 80,
  minBrightness: 50,
  maxBrightness: 210,
  minContrast: 12,
  maxOutOfFrameRatio: 0.08,
  minScore: 0.5,
});

export function resolveThresholds(
  ...overrides: (Partial<QualityThresholds> | undefined)[]
): QualityThresholds {
  const merged: QualityThresholds = { ...DEFAULT_QUALITY_THRESHOLDS };
  for (const o of overrides) {
    if (!o) continue;
    for (const [key, value] of Object.entries(o) as [
      keyof QualityThresholds,
      number | undefined,
    ][]) {
      if (typeof value === 'number' && Number.isFinite(value)) merged[key] = value;
    }
  }
  return merged;
}

/** Side of the square grey crop the pixel statistics are computed on, so they do not depend on face size. */
export const SHARPNESS_CROP_PX = 112;

/** Luma standard deviation the crop is scaled to before its Laplacian is taken. */
export const REFERENCE_CONTRAST = 50;

export interface PixelStats {
  sharpness: number;
  brightness: number;
  contrast: number;
}

/**
 * Luma statistics of the face: the box is clipped to the frame, resampled (area average) to a
 * SHARPNESS_CROP_PX square; sharpness is the variance of its 3x3 Laplacian after scaling the
 * crop's contrast to REFERENCE_CONTRAST.
 */
export function measureFacePixels(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: Box,
  cropPx: number = SHARPNESS_CROP_PX,
): PixelStats {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  if (x1 - x0 < 2 || y1 - y0 < 2) return { sharpness: 0, brightness: 0, contrast: 0 };
  const grey = resampleLuma(rgb, width, x0, y0, x1, y1, cropPx);
  let sum = 0;
  let sumSq = 0;
  for (const v of grey) {
    sum += v;
    sumSq += v * v;
  }
  const n = grey.length;
  const mean = sum / n;
  const contrast = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  // Scale to a common contrast first, so a dim or flat-lit face is not also called blurry.
  const gain = contrast >= 1 ? REFERENCE_CONTRAST / contrast : 0;
  return { sharpness: laplacianVariance(grey, cropPx) * gain * gain, brightness: mean, contrast };
}

function resampleLuma(
  rgb: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  size: number,
): Float64Array {
  const out = new Float64Array(size * size);
  const sx = (x1 - x0) / size;
  const sy = (y1 - y0) / size;
  for (let j = 0; j < size; j++) {
    const ya = y0 + Math.floor(j * sy);
    const yb = Math.max(ya + 1, y0 + Math.floor((j + 1) * sy));
    for (let i = 0; i < size; i++) {
      const xa = x0 + Math.floor(i * sx);
      const xb = Math.max(xa + 1, x0 + Math.floor((i + 1) * sx));
      let acc = 0;
      let count = 0;
      for (let y = ya; y < yb; y++) {
        let p = (y * width + xa) * 3;
        for (let x = xa; x < xb; x++, p += 3) {
          acc += 0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!;
          count++;
        }
      }
      out[j * size + i] = acc / count;
    }
  }
  return out;
}

/** Variance of the 4-neighbour Laplacian over the interior of a square grey image. */
export function laplacianVariance(grey: ArrayLike<number>, size: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const c = y * size + x;
      const lap = grey[c - 1]! + grey[c + 1]! + grey[c - size]! + grey[c + size]! - 4 * grey[c]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

export interface Pose {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

const mean = (points: Point[]): Point => ({
  x: points.reduce((s, p) => s + p.x, 0) / points.length,
  y: points.reduce((s, p) => s + p.y, 0) / points.length,
});

export function eyeCentres(landmarks: Point[]): { left: Point; right: Point } {
  // iBUG 68 layout: 36-41 the eye on the image's left, 42-47 the other.
  return { left: mean(landmarks.slice(36, 42)), right: mean(landmarks.slice(42, 48)) };
}

/** Nose tip height between eye line and chin on a frontal face (measured on the sample photos). */
export const NEUTRAL_PITCH_RATIO = 0.345;

/**
 * Head pose from 2D landmarks (a coarse estimate, good enough to say "look at the camera"):
 * roll from the eye line; after undoing roll, yaw from where the nose tip sits between the
 * jaw sides (asin of its offset), pitch from where it sits between the eye line and the chin.
 * Signs: positive yaw = nose towards the image's right, positive pitch = looking down.
 */
export function estimatePose(landmarks: Point[]): Pose {
  if (landmarks.length !== 68) return { yawDeg: 0, pitchDeg: 0, rollDeg: 0 };
  const { left, right } = eyeCentres(landmarks);
  const roll = Math.atan2(right.y - left.y, right.x - left.x);
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  const upright = landmarks.map((p) => ({ x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos }));
  const nose = upright[30]!;
  const jawLeft = mean([upright[0]!, upright[1]!, upright[2]!]);
  const jawRight = mean([upright[14]!, upright[15]!, upright[16]!]);
  const faceWidth = jawRight.x - jawLeft.x;
  const offset = faceWidth > 0 ? (2 * (nose.x - jawLeft.x)) / faceWidth - 1 : 0;
  const yaw = Math.asin(clamp(offset, -1, 1));
  const eyeY = (upright[36]!.y + upright[45]!.y + upright[39]!.y + upright[42]!.y) / 4;
  const chinY = upright[8]!.y;
  const faceHeight = chinY - eyeY;
  const ratio = faceHeight > 0 ? (nose.y - eyeY) / faceHeight : NEUTRAL_PITCH_RATIO;
  // A 30 degree nod moves the nose tip by roughly 0.25 of the eye-chin height.
  const pitch = Math.asin(clamp((ratio - NEUTRAL_PITCH_RATIO) / 0.5, -1, 1));
  return { yawDeg: toDeg(yaw), pitchDeg: toDeg(pitch), rollDeg: toDeg(roll) };
}

const toDeg = (rad: number) => (rad * 180) / Math.PI;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Share of the box area that lies outside a width x height frame. */
export function outOfFrameRatio(box: Box, width: number, height: number): number {
  const area = box.width * box.height;
  if (area <= 0) return 1;
  const ix = Math.max(0, Math.min(width, box.x + box.width) - Math.max(0, box.x));
  const iy = Math.max(0, Math.min(height, box.y + box.height) - Math.max(0, box.y));
  return 1 - (ix * iy) / area;
}

export interface QualityInput extends PixelStats {
  box: Box;
  landmarks: Point[];
  score: number;
  imageWidth: number;
  imageHeight: number;
}

/** The verdict: every measure, and each reason the face is not acceptable (empty when it is). */
export function assessQuality(
  face: QualityInput,
  thresholds: Partial<QualityThresholds> = DEFAULT_QUALITY_THRESHOLDS,
): QualityReport {
  const t = resolveThresholds(thresholds);
  const { left, right } = eyeCentres(
    face.landmarks.length === 68 ? face.landmarks : fallbackEyes(face.box),
  );
  const interEyePx = Math.hypot(right.x - left.x, right.y - left.y);
  const faceSizePx = Math.min(face.box.width, face.box.height);
  const pose = estimatePose(face.landmarks);
  const landmarkOutside = face.landmarks.some(
    (p) => p.x < 0 || p.y < 0 || p.x >= face.imageWidth || p.y >= face.imageHeight,
  );
  const cutByFrameEdge =
    landmarkOutside ||
    outOfFrameRatio(face.box, face.imageWidth, face.imageHeight) > t.maxOutOfFrameRatio;

  const reasons: QualityReason[] = [];
  if (faceSizePx < t.minFaceSizePx || interEyePx < t.minInterEyePx) reasons.push('too_small');
  if (
    Math.abs(pose.yawDeg) > t.maxYawDeg ||
    Math.abs(pose.pitchDeg) > t.maxPitchDeg ||
    Math.abs(pose.rollDeg) > t.maxRollDeg
  )
    reasons.push('turned_away');
  if (face.sharpness < t.minSharpness) reasons.push('blurry');
  if (face.brightness < t.minBrightness) reasons.push('too_dark');
  if (face.brightness > t.maxBrightness) reasons.push('too_bright');
  if (face.contrast < t.minContrast) reasons.push('low_contrast');
  if (cutByFrameEdge) reasons.push('partly_out_of_frame');
  if (face.score < t.minScore) reasons.push('low_confidence');

  return {
    faceSizePx,
    interEyePx,
    yawDeg: pose.yawDeg,
    pitchDeg: pose.pitchDeg,
    rollDeg: pose.rollDeg,
    sharpness: face.sharpness,
    brightness: face.brightness,
    contrast: face.contrast,
    cutByFrameEdge,
    acceptable: reasons.length === 0,
    reasons,
  };
}

/** Without landmarks, place 68 points so that only the eye centres (at typical spots) matter. */
function fallbackEyes(box: Box): Point[] {
  const pts: Point[] = new Array<Point>(68).fill({
    x: box.x + box.width / 2,
    y: box.y + box.height / 2,
  });
  const l = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.4 };
  const r = { x: box.x + box.width * 0.7, y: box.y + box.height * 0.4 };
  for (let i = 36; i < 42; i++) pts[i] = l;
  for (let i = 42; i < 48; i++) pts[i] = r;
  return pts;
}
