// Plain data shapes shared by the face engine, the matcher and their callers.
// Everything here crosses a worker or process boundary, so it stays structured-cloneable.

/** An image as it arrives: encoded bytes (JPEG, PNG, WebP) or a raw RGBA frame from a camera. */
export type ImageInput =
  | { kind: 'encoded'; data: Uint8Array }
  | { kind: 'rgba'; data: Uint8Array | Uint8ClampedArray; width: number; height: number };

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Why a face is not good enough to match or enrol; the UI turns each into guidance. */
export type QualityReason =
  | 'too_small'
  | 'turned_away'
  | 'blurry'
  | 'too_dark'
  | 'too_bright'
  | 'low_contrast'
  | 'partly_out_of_frame'
  | 'low_confidence';

export interface QualityReport {
  faceSizePx: number;
  interEyePx: number;
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  sharpness: number;
  brightness: number;
  contrast: number;
  cutByFrameEdge: boolean;
  acceptable: boolean;
  reasons: QualityReason[];
}

export interface DetectedFace {
  box: Box;
  score: number;
  landmarks: Point[];
  descriptor: Float32Array;
  quality: QualityReport;
}

export interface DetectionResult {
  width: number;
  height: number;
  faces: DetectedFace[];
  /** Milliseconds per stage, for benchmarks and diagnostics. */
  timings: Record<string, number>;
}

/** Stable guest identifier (the store's guest id). */
export type GuestId = string;

export type IdentifyResult =
  | { kind: 'match'; guestId: GuestId; distance: number; secondDistance: number }
  | { kind: 'ambiguous'; candidates: { guestId: GuestId; distance: number }[] }
  | { kind: 'unknown'; bestDistance: number };

/**
 * The matcher's gallery as the store sees it (implemented in core/face/matcher.ts).
 * The store builds it at start-up and keeps it in step with every committed change.
 */
export interface GalleryWriter {
  /** Replace all descriptors of one guest (an empty list removes the guest). */
  setGuest(guestId: GuestId, descriptors: Float32Array[]): void;
  removeGuest(guestId: GuestId): void;
  readonly guestCount: number;
  readonly vectorCount: number;
}
