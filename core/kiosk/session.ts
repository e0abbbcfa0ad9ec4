// One kiosk's live session: what each camera frame means, given the faces the engine found.
// Good single faces feed the matcher and the multi-frame vote (core/face/vote.ts); the vote
// decides who it is. The vote never says "stranger", so the session does: a face that gives no
// match for `unknownStreak` good frames in a row (or no decision in `maxFrames`) is not recognised.
import type { DetectionResult, GuestId, IdentifyResult } from '../face/types';
import { DEFAULT_VOTE, FrameVote, type VoteOptions } from '../face/vote';
import type { Guidance } from '../api';
import { facesInFront, guidanceFor } from './guidance';

export interface SessionOptions {
  vote?: Omit<VoteOptions, 'now'>;
  /** Good frames in a row without any match before the face is declared unknown. */
  unknownStreak?: number;
  /** Good frames without a decision before the face is declared unknown. */
  maxFrames?: number;
  /** Frames in a row with nobody before the session forgets the person. */
  absentFrames?: number;
  now?: () => number;
}

/**
 * The kiosk's vote: 2 agreeing frames of the last 3, within 4 s. Every vote already passed the
 * open-set rule (distance threshold AND margin to the next guest), so two agreeing frames are a
 * second, independent look rather than the only check. 3 of 5 (DEFAULT_VOTE) cost a third frame:
 * on this 2-core wasm machine p95 first-frame-to-Welcome went from 609 ms to 398 ms with 2 of 3
 * (`npm run bench -- kiosk`). The window is long because the UI sends the next frame only when the
 * last answer is back, so a loaded kiosk may see ~1 frame a second.
 */
export const KIOSK_VOTE: Readonly<Omit<VoteOptions, 'now'>> = Object.freeze({
  ...DEFAULT_VOTE,
  k: 2,
  n: 3,
  windowMs: 4000,
});

export const DEFAULT_SESSION = Object.freeze({
  unknownStreak: 5,
  maxFrames: 12,
  absentFrames: 3,
});

export interface Outline {
  box: { x: number; y: number; width: number; height: number };
  acceptable: boolean;
}

export type FrameStep =
  | { kind: 'no_face' }
  | { kind: 'guidance'; faces: Outline[]; guidance: Guidance[] }
  | { kind: 'scanning'; faces: Outline[] }
  /** The vote accepted this guest: run the check-in rules. */
  | { kind: 'recognised'; guestId: GuestId; distance: number }
  | { kind: 'not_recognised' }
  /** Already decided for the person still in front of the camera: repeat the last answer. */
  | { kind: 'decided' };

export type Identify = (descriptor: Float32Array) => IdentifyResult;

export class FrameSession {
  private readonly vote: FrameVote;
  private readonly unknownStreak: number;
  private readonly maxFrames: number;
  private readonly absentFrames: number;
  private streak = 0;
  private frames = 0;
  private absent = 0;
  private decided = false;
  private lastDistance = new Map<GuestId, number>();

  constructor(
    private readonly identify: Identify,
    options: SessionOptions = {},
  ) {
    const vote = options.vote ?? KIOSK_VOTE;
    this.vote = new FrameVote(options.now ? { ...vote, now: options.now } : { ...vote });
    this.unknownStreak = options.unknownStreak ?? DEFAULT_SESSION.unknownStreak;
    this.maxFrames = options.maxFrames ?? DEFAULT_SESSION.maxFrames;
    this.absentFrames = options.absentFrames ?? DEFAULT_SESSION.absentFrames;
  }

  reset(): void {
    this.vote.reset();
    this.streak = 0;
    this.frames = 0;
    this.absent = 0;
    this.decided = false;
    this.lastDistance.clear();
  }

  step(detection: DetectionResult): FrameStep {
    const faces = facesInFront(detection.faces);
    if (faces.length === 0) {
      this.absent += 1;
      if (this.absent >= this.absentFrames) this.reset();
      return { kind: 'no_face' };
    }
    this.absent = 0;
    const outlines = faces.map((f) => ({ box: { ...f.box }, acceptable: f.quality.acceptable }));
    if (faces.length > 1) {
      // Two people: nobody is checked in from this frame, and the vote starts again.
      this.vote.reset();
      this.streak = 0;
      this.frames = 0;
      this.decided = false;
      return { kind: 'guidance', faces: outlines, guidance: ['one_person'] };
    }
    const face = faces[0]!;
    if (!face.quality.acceptable) {
      const guidance = guidanceFor(face.quality.reasons);
      return {
        kind: 'guidance',
        faces: outlines,
        guidance: guidance.length ? guidance : ['face_camera'],
      };
    }
    if (this.decided) return { kind: 'decided' };

    const result = this.identify(face.descriptor);
    this.frames += 1;
    if (result.kind === 'match') {
      this.streak = 0;
      this.lastDistance.set(result.guestId, result.distance);
    } else {
      this.streak += 1;
    }
    const decision = this.vote.observe(result);
    if (decision.kind === 'accept') {
      this.decided = true;
      return {
        kind: 'recognised',
        guestId: decision.guestId,
        distance: this.lastDistance.get(decision.guestId) ?? 0,
      };
    }
    if (decision.kind === 'accepted') {
      this.decided = true;
      return { kind: 'decided' };
    }
    if (this.streak >= this.unknownStreak || this.frames >= this.maxFrames) {
      this.decided = true;
      return { kind: 'not_recognised' };
    }
    return { kind: 'scanning', faces: outlines };
  }
}
