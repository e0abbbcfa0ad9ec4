// Multi-frame vote for live video: one frame's match is not enough (a blink, a half-turned face,
// a passer-by). A guest is accepted only after winning K of the last N frames seen within a time
// window. The clock is injected so the behaviour is deterministic under test.
import type { GuestId, IdentifyResult } from './types';
import { MatcherError } from './matcher-errors';

export interface VoteOptions {
  /** Frames a guest must win… */
  k: number;
  /** …out of the last N frames… */
  n: number;
  /** …all seen within this many milliseconds of now. A longer gap between frames also resets. */
  windowMs: number;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
}

/** 3 wins of the last 5 frames within 2 s: about a third of a second at 10–15 detections per second. */
export const DEFAULT_VOTE: Readonly<Omit<VoteOptions, 'now'>> = Object.freeze({
  k: 3,
  n: 5,
  windowMs: 2000,
});

export type VoteDecision =
  /** This frame made `guestId` reach K votes: check them in (emitted once per presence). */
  | { kind: 'accept'; guestId: GuestId; votes: number; frames: number }
  /** Already accepted and the same person is still in front of the camera: do nothing. */
  | { kind: 'accepted'; guestId: GuestId }
  /** Not decided yet; `leader` is the guest with most votes in the window (null when none). */
  | { kind: 'pending'; leader: GuestId | null; votes: number; needed: number; frames: number };

interface Frame {
  at: number;
  guestId: GuestId | null;
}

export class FrameVote {
  readonly k: number;
  readonly n: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private frames: Frame[] = [];
  private acceptedGuest: GuestId | null = null;

  constructor(options: VoteOptions = { ...DEFAULT_VOTE }) {
    const { k, n, windowMs } = options;
    if (!Number.isInteger(n) || n < 1) {
      throw new MatcherError('bad_vote_options', `n must be an integer >= 1, got ${n}`);
    }
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new MatcherError('bad_vote_options', `k must be an integer in [1, n=${n}], got ${k}`);
    }
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new MatcherError('bad_vote_options', `windowMs must be > 0, got ${windowMs}`);
    }
    this.k = k;
    this.n = n;
    this.windowMs = windowMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Record one frame's identification (ambiguous and unknown frames count as frames, not votes). */
  observe(result: IdentifyResult): VoteDecision {
    const at = this.now();
    const last = this.frames[this.frames.length - 1];
    // A long gap (or a clock that went backwards) means whoever was here has left.
    if (last !== undefined && (at - last.at > this.windowMs || at < last.at)) this.reset();
    this.frames.push({ at, guestId: result.kind === 'match' ? result.guestId : null });
    while (
      this.frames.length > this.n ||
      (this.frames.length > 0 && at - this.frames[0]!.at > this.windowMs)
    ) {
      this.frames.shift();
    }

    const { leader, votes } = this.leader();
    if (leader !== null && votes >= this.k) {
      if (leader === this.acceptedGuest) return { kind: 'accepted', guestId: leader };
      this.acceptedGuest = leader;
      return { kind: 'accept', guestId: leader, votes, frames: this.frames.length };
    }
    if (this.acceptedGuest !== null) return { kind: 'accepted', guestId: this.acceptedGuest };
    return { kind: 'pending', leader, votes, needed: this.k, frames: this.frames.length };
  }

  /** The face left the frame (no face detected): forget the votes and the accepted guest. */
  faceLeft(): void {
    this.reset();
  }

  reset(): void {
    this.frames = [];
    this.acceptedGuest = null;
  }

  /** Guest with most votes in the window; ties go to the most recent vote. */
  private leader(): { leader: GuestId | null; votes: number } {
    const counts = new Map<GuestId, number>();
    let leader: GuestId | null = null;
    let votes = 0;
    for (const frame of this.frames) {
      if (frame.guestId === null) continue;
      const c = (counts.get(frame.guestId) ?? 0) + 1;
      counts.set(frame.guestId, c);
      if (c >= votes) {
        leader = frame.guestId;
        votes = c;
      }
    }
    return { leader, votes };
  }
}
