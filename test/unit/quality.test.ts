// The quality verdict as a pure function: synthetic landmark sets (a frontal mean shape from the
// face-api sample photos, turned in 3D here) and synthetic pixel crops built to trigger each reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { QualityInput } from '../../core/face/quality';
import {
  DEFAULT_QUALITY_THRESHOLDS,
  assessQuality,
  estimatePose,
  laplacianVariance,
  measureFacePixels,
  outOfFrameRatio,
  resolveThresholds,
} from '../../core/face/quality';
import type { Point } from '../../core/face/types';

/** 68 points of a frontal face, unit inter-ocular distance, centred between the eyes. */
const TEMPLATE = JSON.parse(
  readFileSync('test/fixtures/engine/frontal-landmarks.json', 'utf8'),
) as Point[];

/** Depth of each landmark on a simple head model (cylinder-ish skull, nose and lips in front). */
function depth(i: number, p: Point): number {
  const skull = Math.sqrt(Math.max(0, 1.3 ** 2 - p.x ** 2));
  if (i >= 27 && i <= 30) return skull + 0.15 + ((i - 27) / 3) * 0.4;
  if (i >= 31 && i <= 35) return skull + 0.3;
  if (i >= 48) return skull + 0.1;
  return skull;
}

/** The template turned in 3D by yaw/pitch, then rolled, scaled and placed in an image. */
function face(
  { yaw = 0, pitch = 0, roll = 0 }: { yaw?: number; pitch?: number; roll?: number },
  scale = 60,
  centre: Point = { x: 320, y: 220 },
): Point[] {
  const [cy, sy] = [Math.cos((yaw * Math.PI) / 180), Math.sin((yaw * Math.PI) / 180)];
  const [cp, sp] = [Math.cos((pitch * Math.PI) / 180), Math.sin((pitch * Math.PI) / 180)];
  const [cr, sr] = [Math.cos((roll * Math.PI) / 180), Math.sin((roll * Math.PI) / 180)];
  return TEMPLATE.map((p, i) => {
    const z = depth(i, p);
    const x1 = p.x * cy + z * sy;
    const z1 = -p.x * sy + z * cy;
    const y2 = p.y * cp + z1 * sp;
    return { x: centre.x + scale * (x1 * cr - y2 * sr), y: centre.y + scale * (x1 * sr + y2 * cr) };
  });
}

function goodFace(overrides: Partial<QualityInput> = {}): QualityInput {
  const landmarks = face({});
  return {
    box: { x: 240, y: 140, width: 160, height: 180 },
    landmarks,
    score: 0.9,
    imageWidth: 640,
    imageHeight: 480,
    sharpness: 300,
    brightness: 120,
    contrast: 45,
    ...overrides,
  };
}

describe('estimatePose', () => {
  it('a frontal face is about 0 / 0 / 0', () => {
    const pose = estimatePose(face({}));
    expect(Math.abs(pose.yawDeg)).toBeLessThan(3);
    expect(Math.abs(pose.pitchDeg)).toBeLessThan(5);
    expect(Math.abs(pose.rollDeg)).toBeLessThan(1);
  });

  it('yaw grows with the turn and keeps its sign', () => {
    const small = estimatePose(face({ yaw: 10 })).yawDeg;
    const large = estimatePose(face({ yaw: 40 })).yawDeg;
    expect(small).toBeGreaterThan(3);
    expect(small).toBeLessThan(20);
    expect(large).toBeGreaterThan(30);
    expect(estimatePose(face({ yaw: -40 })).yawDeg).toBeLessThan(-30);
  });

  it('roll is the eye-line angle, and does not leak into yaw', () => {
    const pose = estimatePose(face({ roll: 35 }));
    expect(pose.rollDeg).toBeCloseTo(35, 0);
    expect(Math.abs(pose.yawDeg)).toBeLessThan(3);
  });

  it('pitch: looking down is positive, looking up negative', () => {
    expect(estimatePose(face({ pitch: 35 })).pitchDeg).toBeGreaterThan(20);
    expect(estimatePose(face({ pitch: -35 })).pitchDeg).toBeLessThan(-20);
  });
});

describe('measureFacePixels', () => {
  const W = 200;
  const H = 200;
  const box = { x: 50, y: 50, width: 100, height: 100 };
  const image = (pixel: (x: number, y: number) => number) => {
    const rgb = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) rgb.fill(pixel(x, y), (y * W + x) * 3, (y * W + x) * 3 + 3);
    return rgb;
  };

  it('a checkerboard is sharp and contrasted; a flat grey is neither', () => {
    const checker = measureFacePixels(
      image((x, y) => (((x >> 3) + (y >> 3)) % 2 ? 200 : 50)),
      W,
      H,
      box,
    );
    expect(checker.sharpness).toBeGreaterThan(DEFAULT_QUALITY_THRESHOLDS.minSharpness);
    expect(checker.contrast).toBeGreaterThan(60);
    expect(checker.brightness).toBeGreaterThan(100);
    const flat = measureFacePixels(
      image(() => 128),
      W,
      H,
      box,
    );
    expect(flat.sharpness).toBeLessThan(1e-3);
    expect(flat.contrast).toBeLessThan(1e-3);
    expect(flat.brightness).toBeCloseTo(128, 5);
  });

  it('a smooth ramp has contrast but no sharpness', () => {
    const ramp = measureFacePixels(
      image((x) => x),
      W,
      H,
      box,
    );
    expect(ramp.contrast).toBeGreaterThan(DEFAULT_QUALITY_THRESHOLDS.minContrast);
    expect(ramp.sharpness).toBeLessThan(DEFAULT_QUALITY_THRESHOLDS.minSharpness);
  });

  it('a box outside the image measures nothing', () => {
    expect(
      measureFacePixels(
        image(() => 9),
        W,
        H,
        { x: 500, y: 500, width: 50, height: 50 },
      ).brightness,
    ).toBe(0);
  });

  it('laplacianVariance of a single bright dot', () => {
    const grey = new Float64Array(9);
    grey[4] = 1;
    expect(laplacianVariance(grey, 3)).toBe(0); // one interior pixel: no variance
  });
});

describe('assessQuality', () => {
  it('a good face is acceptable with no reasons', () => {
    const report = assessQuality(goodFace());
    expect(report.reasons).toEqual([]);
    expect(report.acceptable).toBe(true);
    expect(report.interEyePx).toBeCloseTo(60, 0);
    expect(report.faceSizePx).toBe(160);
    expect(report.cutByFrameEdge).toBe(false);
  });

  const cases: [string, Partial<QualityInput>][] = [
    ['too_small', { box: { x: 300, y: 200, width: 40, height: 48 }, landmarks: face({}, 15) }],
    ['turned_away', { landmarks: face({ yaw: 50 }) }],
    ['turned_away', { landmarks: face({ roll: 40 }) }],
    ['blurry', { sharpness: 5 }],
    ['too_dark', { brightness: 20 }],
    ['too_bright', { brightness: 240 }],
    ['low_contrast', { contrast: 4 }],
    [
      'partly_out_of_frame',
      {
        box: { x: 560, y: 140, width: 160, height: 180 },
        landmarks: face({}, 60, { x: 640, y: 220 }),
      },
    ],
    ['low_confidence', { score: 0.2 }],
  ];
  for (const [reason, change] of cases) {
    it(`${reason} fires alone on a face built for it`, () => {
      const report = assessQuality(goodFace(change));
      expect(report.reasons).toEqual([reason]);
      expect(report.acceptable).toBe(false);
    });
  }

  it('several reasons are all listed', () => {
    const report = assessQuality(goodFace({ brightness: 10, sharpness: 1, contrast: 2 }));
    expect(report.reasons).toEqual(['blurry', 'too_dark', 'low_contrast']);
  });

  it('thresholds can be overridden per call without touching the defaults', () => {
    const lenient = assessQuality(goodFace({ sharpness: 5 }), { minSharpness: 1 });
    expect(lenient.acceptable).toBe(true);
    expect(DEFAULT_QUALITY_THRESHOLDS.minSharpness).toBeGreaterThan(5);
    expect(Object.isFrozen(DEFAULT_QUALITY_THRESHOLDS)).toBe(true);
    expect(
      resolveThresholds({ maxYawDeg: 10 }, { maxYawDeg: 12, minContrast: undefined }).maxYawDeg,
    ).toBe(12);
  });

  it('outOfFrameRatio: inside 0, half out 0.5, fully out 1', () => {
    expect(outOfFrameRatio({ x: 10, y: 10, width: 20, height: 20 }, 100, 100)).toBe(0);
    expect(outOfFrameRatio({ x: 90, y: 10, width: 20, height: 20 }, 100, 100)).toBeCloseTo(0.5);
    expect(outOfFrameRatio({ x: 200, y: 10, width: 20, height: 20 }, 100, 100)).toBe(1);
  });
});
