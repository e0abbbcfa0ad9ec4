// From the engine's findings to what the screen tells the guest. Pure functions.
import type { Guidance } from '../api';
import type { DetectedFace, QualityReason } from '../face/types';

const GUIDANCE_FOR: Record<QualityReason, Guidance> = {
  too_small: 'come_closer',
  turned_away: 'face_camera',
  low_confidence: 'face_camera',
  blurry: 'hold_still',
  too_dark: 'more_light',
  low_contrast: 'more_light',
  too_bright: 'less_light',
  partly_out_of_frame: 'centre_face',
};

/** Most useful first: getting closer often fixes sharpness and light too. */
const ORDER: Guidance[] = [
  'one_person',
  'come_closer',
  'centre_face',
  'face_camera',
  'more_light',
  'less_light',
  'hold_still',
];

export function guidanceFor(reasons: readonly QualityReason[]): Guidance[] {
  const wanted = new Set(reasons.map((r) => GUIDANCE_FOR[r]));
  return ORDER.filter((g) => wanted.has(g));
}

/**
 * A face counts as "in front of the kiosk" when it is at least this share of the largest face's
 * width: people far behind the guest do not block a check-in, a second person beside them does.
 */
export const COMPANION_FACE_RATIO = 0.6;

/** The faces that count, largest first. */
export function facesInFront(faces: readonly DetectedFace[]): DetectedFace[] {
  const sorted = [...faces].sort((a, b) => b.box.width - a.box.width);
  const largest = sorted[0];
  if (!largest) return [];
  return sorted.filter((f) => f.box.width >= largest.box.width * COMPANION_FACE_RATIO);
}
