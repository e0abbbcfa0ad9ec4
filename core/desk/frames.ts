// Which camera frames become a guest's templates: only faces that pass every engine quality check,
// several of them, spread over a little head turn or tilt (one frontal pose alone matches badly
// when the guest later walks up at an angle), and all clearly of one person.
import type { QualityReport } from '../face/types';

export interface CaptureFrame {
  descriptor: Float32Array;
  quality: QualityReport;
  /** Detector confidence, 0..1. */
  score: number;
}

export interface CapturePolicy {
  /** Templates saved per enrolment. */
  framesNeeded: number;
  /** Pose variety: head turn range (max − min yaw) or tilt range (pitch) of the chosen frames. */
  minYawSpreadDeg: number;
  minPitchSpreadDeg: number;
  /** Two frames closer than this in pose add no variety: keep the sharper one. */
  minPoseStepDeg: number;
  /** Largest descriptor distance allowed between any two chosen frames (one person). */
  maxPairDistance: number;
  /** Accepted frames kept while capturing, so a long capture does not grow without end. */
  poolSize: number;
}

export const DEFAULT_CAPTURE_POLICY: CapturePolicy = {
  framesNeeded: 5,
  minYawSpreadDeg: 8,
  minPitchSpreadDeg: 6,
  minPoseStepDeg: 1.5,
  maxPairDistance: 0.6,
  poolSize: 40,
};

/** What the camera view tells the guest next. */
export type CaptureHint = 'hold_still' | 'turn_head_slightly' | 'tilt_head_slightly' | 'done';

export interface CaptureProgress {
  goodFrames: number;
  framesNeeded: number;
  yawSpreadDeg: number;
  pitchSpreadDeg: number;
  poseVariety: boolean;
  consistent: boolean;
  complete: boolean;
  hint: CaptureHint;
}

function poseDistance(a: QualityReport, b: QualityReport): number {
  return Math.hypot(a.yawDeg - b.yawDeg, a.pitchDeg - b.pitchDeg);
}

function frontality(q: QualityReport): number {
  return Math.abs(q.yawDeg) + Math.abs(q.pitchDeg);
}

export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** A frame may be kept only when the engine found nothing wrong with it. */
export function passesQuality(q: QualityReport): boolean {
  return q.acceptable && q.reasons.length === 0;
}

/**
 * Adds a frame to the pool. A frame within minPoseStepDeg of one already there replaces it only
 * when sharper; when the pool is full, the frame closest in pose to another is dropped.
 */
export function addToPool(pool: CaptureFrame[], frame: CaptureFrame, policy: CapturePolicy): void {
  const near = pool.findIndex(
    (f) => poseDistance(f.quality, frame.quality) < policy.minPoseStepDeg,
  );
  if (near >= 0) {
    if (frame.quality.sharpness > pool[near]!.quality.sharpness) pool[near] = frame;
    return;
  }
  pool.push(frame);
  if (pool.length <= policy.poolSize) return;
  let dropAt = 0;
  let closest = Infinity;
  for (let i = 0; i < pool.length; i++) {
    for (let j = 0; j < pool.length; j++) {
      if (i === j) continue;
      const d = poseDistance(pool[i]!.quality, pool[j]!.quality);
      if (d < closest) {
        closest = d;
        dropAt = i;
      }
    }
  }
  pool.splice(dropAt, 1);
}

/**
 * Greedy farthest-point choice in (yaw, pitch): start with the most frontal frame, then keep
 * adding the frame whose pose is farthest from every frame chosen so far.
 */
export function selectFrames(pool: CaptureFrame[], count: number): CaptureFrame[] {
  if (pool.length === 0) return [];
  const remaining = [...pool];
  remaining.sort((a, b) => frontality(a.quality) - frontality(b.quality));
  const chosen = [remaining.shift()!];
  while (chosen.length < count && remaining.length > 0) {
    let bestAt = 0;
    let bestGap = -1;
    for (let i = 0; i < remaining.length; i++) {
      const gap = Math.min(...chosen.map((c) => poseDistance(c.quality, remaining[i]!.quality)));
      if (gap > bestGap) {
        bestGap = gap;
        bestAt = i;
      }
    }
    chosen.push(remaining.splice(bestAt, 1)[0]!);
  }
  return chosen;
}

function spread(values: number[]): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
}

/** Largest distance between any two descriptors (0 for fewer than two). */
export function maxPairDistance(frames: CaptureFrame[]): number {
  let max = 0;
  for (let i = 0; i < frames.length; i++) {
    for (let j = i + 1; j < frames.length; j++) {
      max = Math.max(max, descriptorDistance(frames[i]!.descriptor, frames[j]!.descriptor));
    }
  }
  return max;
}

export function captureProgress(pool: CaptureFrame[], policy: CapturePolicy): CaptureProgress {
  const chosen = selectFrames(pool, policy.framesNeeded);
  const yawSpreadDeg = spread(chosen.map((f) => f.quality.yawDeg));
  const pitchSpreadDeg = spread(chosen.map((f) => f.quality.pitchDeg));
  const poseVariety =
    yawSpreadDeg >= policy.minYawSpreadDeg || pitchSpreadDeg >= policy.minPitchSpreadDeg;
  const consistent = maxPairDistance(chosen) <= policy.maxPairDistance;
  const enough = chosen.length >= policy.framesNeeded;
  const complete = enough && poseVariety && consistent;
  let hint: CaptureHint = 'done';
  if (!complete) {
    if (!poseVariety)
      hint = yawSpreadDeg >= pitchSpreadDeg ? 'turn_head_slightly' : 'tilt_head_slightly';
    else hint = 'hold_still';
  }
  return {
    goodFrames: pool.length,
    framesNeeded: policy.framesNeeded,
    yawSpreadDeg,
    pitchSpreadDeg,
    poseVariety,
    consistent,
    complete,
    hint,
  };
}

/** Mean of the chosen descriptors: the probe for the look-alike check. */
export function meanDescriptor(frames: CaptureFrame[]): Float32Array {
  const mean = new Float32Array(frames[0]!.descriptor.length);
  for (const f of frames) for (let i = 0; i < mean.length; i++) mean[i]! += f.descriptor[i]!;
  for (let i = 0; i < mean.length; i++) mean[i]! /= frames.length;
  return mean;
}
