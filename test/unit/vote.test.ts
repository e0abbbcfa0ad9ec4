import { describe, expect, it } from 'vitest';
import { DEFAULT_VOTE, FrameVote } from '../../core/face/vote';
import { MatcherError } from '../../core/face/matcher-errors';
import type { IdentifyResult } from '../../core/face/types';

/** The one fake: a clock the test moves by hand. */
function manualClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const match = (guestId: string): IdentifyResult => ({
  kind: 'match',
  guestId,
  distance: 0.3,
  secondDistance: 0.8,
});
const unknown: IdentifyResult = { kind: 'unknown', bestDistance: 0.9 };
const ambiguous: IdentifyResult = {
  kind: 'ambiguous',
  candidates: [
    { guestId: 'a', distance: 0.3 },
    { guestId: 'b', distance: 0.32 },
  ],
};

describe('FrameVote', () => {
  it('accepts a guest only after K wins of the last N frames, once per presence', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 3, n: 5, windowMs: 2000, now: clock.now });
    const kinds: string[] = [];
    for (const r of [match('a'), unknown, match('a'), ambiguous, match('a'), match('a')]) {
      clock.advance(100);
      const d = vote.observe(r);
      kinds.push(d.kind === 'accept' ? `accept:${d.guestId}` : d.kind);
    }
    expect(kinds).toEqual(['pending', 'pending', 'pending', 'pending', 'accept:a', 'accepted']);
  });

  it('reports the leader and its votes while pending', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 3, n: 5, windowMs: 2000, now: clock.now });
    vote.observe(match('a'));
    vote.observe(match('b'));
    expect(vote.observe(match('b'))).toEqual({
      kind: 'pending',
      leader: 'b',
      votes: 2,
      needed: 3,
      frames: 3,
    });
  });

  it('counts only the last N frames: old wins slide out', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 3, n: 4, windowMs: 10_000, now: clock.now });
    // a, a, x, x, a: at the 5th frame the window holds [a, x, x, a] → 2 votes, not 3.
    for (const r of [match('a'), match('a'), unknown, unknown]) {
      clock.advance(100);
      vote.observe(r);
    }
    clock.advance(100);
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'pending', votes: 2 });
    clock.advance(100); // [x, x, a, a]
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'pending', votes: 2 });
    clock.advance(100); // [x, a, a, a]
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'accept', guestId: 'a', votes: 3 });
  });

  it('counts only frames within the time window', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 3, n: 10, windowMs: 1000, now: clock.now });
    vote.observe(match('a')); // t=1000
    clock.advance(600);
    vote.observe(match('a')); // t=1600
    clock.advance(600);
    // t=2200: the first vote (1200 ms old) has left the window → 2 votes.
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'pending', votes: 2 });
    clock.advance(300);
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'accept', votes: 3 });
  });

  it('resets when the face leaves, and after a gap longer than the window', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 2, n: 3, windowMs: 1000, now: clock.now });
    vote.observe(match('a'));
    clock.advance(50);
    expect(vote.observe(match('a')).kind).toBe('accept');
    vote.faceLeft();
    clock.advance(50);
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'pending', votes: 1 });
    clock.advance(50);
    expect(vote.observe(match('a')).kind).toBe('accept'); // a new presence: accepted again
    clock.advance(5000); // nobody for 5 s
    expect(vote.observe(match('a'))).toMatchObject({ kind: 'pending', votes: 1 });
  });

  it('accepts a different guest who takes over without the face leaving', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 2, n: 3, windowMs: 1000, now: clock.now });
    vote.observe(match('a'));
    expect(vote.observe(match('a')).kind).toBe('accept');
    expect(vote.observe(match('b'))).toEqual({ kind: 'accepted', guestId: 'a' });
    expect(vote.observe(match('b'))).toMatchObject({ kind: 'accept', guestId: 'b' });
  });

  it('never accepts on unknown or ambiguous frames alone', () => {
    const clock = manualClock();
    const vote = new FrameVote({ k: 1, n: 1, windowMs: 1000, now: clock.now });
    expect(vote.observe(ambiguous)).toMatchObject({ kind: 'pending', leader: null });
    expect(vote.observe(unknown)).toMatchObject({ kind: 'pending', leader: null });
  });

  it('refuses impossible options with a typed error', () => {
    const bad = [
      { k: 0, n: 5, windowMs: 1000 },
      { k: 6, n: 5, windowMs: 1000 },
      { k: 2, n: 2.5, windowMs: 1000 },
      { k: 2, n: 5, windowMs: 0 },
      { k: 2, n: 5, windowMs: NaN },
    ];
    for (const options of bad) {
      expect(() => new FrameVote(options)).toThrow(MatcherError);
    }
    expect(new FrameVote().k).toBe(DEFAULT_VOTE.k);
  });
});
