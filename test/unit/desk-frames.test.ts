import { describe, expect, it } from 'vitest';
import type { QualityReport } from '../../core/face/types';
import {
  addToPool,
  captureProgress,
  DEFAULT_CAPTURE_POLICY,
  maxPairDistance,
  passesQuality,
  selectFrames,
  type CaptureFrame,
} from '../../core/desk/frames';

function quality(
  yawDeg: number,
  pitchDeg: number,
  extra: Partial<QualityReport> = {},
): QualityReport {
  return {
    faceSizePx: 160,
    interEyePx: 60,
    yawDeg,
    pitchDeg,
    rollDeg: 0,
    sharpness: 200,
    brightness: 120,
    contrast: 40,
    cutByFrameEdge: false,
    acceptable: true,
    reasons: [],
    ...extra,
  };
}

/** A descriptor near a fixed direction per person; `jitter` moves it a little. */
function descriptor(person: number, jitter: number): Float32Array {
  const d = new Float32Array(128);
  for (let i = 0; i < 128; i++)
    d[i] = Math.sin(i * (person + 1)) * 0.08 + Math.cos(i + jitter) * 0.005;
  return d;
}

function frame(yaw: number, pitch: number, person = 0, sharpness = 200): CaptureFrame {
  return {
    descriptor: descriptor(person, yaw + pitch),
    quality: quality(yaw, pitch, { sharpness }),
    score: 0.9,
  };
}

const policy = {
  ...DEFAULT_CAPTURE_POLICY,
  framesNeeded: 3,
  minYawSpreadDeg: 10,
  minPitchSpreadDeg: 8,
};

describe('enrolment frame selection', () => {
  it('passes only frames without any quality reason', () => {
    expect(passesQuality(quality(0, 0))).toBe(true);
    expect(passesQuality(quality(0, 0, { reasons: ['too_dark'], acceptable: false }))).toBe(false);
    expect(passesQuality(quality(0, 0, { reasons: ['blurry'] }))).toBe(false);
  });

  it('is not complete with frontal frames only, and asks for a head turn', () => {
    const pool: CaptureFrame[] = [];
    for (const yaw of [0, 2, 4, 1, 3]) addToPool(pool, frame(yaw, 0), policy);
    const progress = captureProgress(pool, policy);
    expect(progress.poseVariety).toBe(false);
    expect(progress.complete).toBe(false);
    expect(progress.hint).toBe('turn_head_slightly');
  });

  it('completes with enough frames spread over a head turn', () => {
    const pool: CaptureFrame[] = [];
    for (const yaw of [0, -2, 6, 2, -7, 1]) addToPool(pool, frame(yaw, 0), policy);
    const progress = captureProgress(pool, policy);
    expect(progress).toMatchObject({
      poseVariety: true,
      consistent: true,
      complete: true,
      hint: 'done',
    });
    const chosen = selectFrames(pool, 3).map((f) => f.quality.yawDeg);
    // Starts frontal, then the two extremes.
    expect(chosen).toEqual([0, -7, 6]);
  });

  it('keeps the sharper of two frames with the same pose', () => {
    const pool: CaptureFrame[] = [];
    addToPool(pool, frame(0, 0, 0, 100), policy);
    addToPool(pool, frame(0.5, 0, 0, 300), policy);
    addToPool(pool, frame(0.2, 0, 0, 150), policy);
    expect(pool).toHaveLength(1);
    expect(pool[0]!.quality.sharpness).toBe(300);
  });

  it('caps the pool by dropping the most redundant pose', () => {
    const small = { ...policy, poolSize: 3 };
    const pool: CaptureFrame[] = [];
    for (const yaw of [-10, 0, 10, 11.6]) addToPool(pool, frame(yaw, 0), small);
    expect(pool.map((f) => f.quality.yawDeg).sort((a, b) => a - b)).toEqual([-10, 0, 11.6]);
  });

  it('refuses frames of two different people', () => {
    const pool: CaptureFrame[] = [];
    for (const [yaw, person] of [
      [0, 0],
      [-8, 0],
      [8, 3],
    ] as const)
      addToPool(pool, frame(yaw, 0, person), policy);
    expect(maxPairDistance(pool)).toBeGreaterThan(policy.maxPairDistance);
    const progress = captureProgress(pool, policy);
    expect(progress.consistent).toBe(false);
    expect(progress.complete).toBe(false);
  });
});
