// The kiosk's frame session with the real matcher and the real multi-frame vote (clock injected):
// who counts as "in front", when a face is declared unknown, and that two people never vote.
import { describe, expect, it } from 'vitest';
import { createMatcher } from '../../core/face/matcher';
import type { DetectedFace, DetectionResult, QualityReason } from '../../core/face/types';
import { guidanceFor } from '../../core/kiosk/guidance';
import { FrameSession, KIOSK_VOTE } from '../../core/kiosk/session';

function unit(seed: number): Float32Array {
  // A deterministic pseudo-random unit vector per seed.
  const v = new Float32Array(128);
  let x = seed * 9301 + 49297;
  for (let i = 0; i < 128; i++) {
    x = (x * 9301 + 49297) % 233280;
    v[i] = x / 233280 - 0.5;
  }
  const norm = Math.hypot(...v);
  return v.map((n) => n / norm);
}

function near(base: Float32Array, amount: number, seed: number): Float32Array {
  const noise = unit(seed + 1000);
  const v = base.map((n, i) => n + amount * noise[i]!);
  const norm = Math.hypot(...v);
  return v.map((n) => n / norm);
}

function face(descriptor: Float32Array, width = 150, reasons: QualityReason[] = []): DetectedFace {
  return {
    box: { x: 100, y: 60, width, height: width * 1.2 },
    score: 0.95,
    landmarks: [],
    descriptor,
    quality: {
      faceSizePx: width,
      interEyePx: width / 3,
      yawDeg: 0,
      pitchDeg: 0,
      rollDeg: 0,
      sharpness: 100,
      brightness: 120,
      contrast: 40,
      cutByFrameEdge: false,
      acceptable: reasons.length === 0,
      reasons,
    },
  };
}

const frame = (...faces: DetectedFace[]): DetectionResult => ({
  width: 480,
  height: 360,
  faces,
  timings: {},
});

/** The stricter 3-of-5 vote, so the session's rules show over several frames. */
const STRICT_VOTE = { k: 3, n: 5, windowMs: 4000 };

/** `null` runs the session with the kiosk's own default vote. */
function setup(vote: typeof STRICT_VOTE | null = STRICT_VOTE) {
  const matcher = createMatcher();
  const alice = unit(1);
  const bob = unit(2);
  matcher.setGuest('alice', [alice]);
  matcher.setGuest('bob', [bob]);
  let now = 0;
  const session = new FrameSession((d) => matcher.identify(d), {
    ...(vote ? { vote } : {}),
    now: () => (now += 100),
  });
  return { session, alice, bob, stranger: unit(3) };
}

describe('kiosk frame session', () => {
  it('with the kiosk default vote, recognises a guest on the second agreeing frame', () => {
    const { session, alice } = setup(null);
    expect(KIOSK_VOTE).toMatchObject({ k: 2, n: 3 });
    expect(session.step(frame(face(near(alice, 0.1, 1)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 2))))).toMatchObject({
      kind: 'recognised',
      guestId: 'alice',
    });
  });

  it('recognises a guest only after the vote (3 agreeing frames), then repeats the decision', () => {
    const { session, alice } = setup();
    expect(session.step(frame(face(near(alice, 0.1, 1)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 2)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 3))))).toMatchObject({
      kind: 'recognised',
      guestId: 'alice',
    });
    expect(session.step(frame(face(near(alice, 0.1, 4)))).kind).toBe('decided');
  });

  it('declares a stranger not recognised after 5 good frames without a match', () => {
    const { session, stranger } = setup();
    const kinds = Array.from(
      { length: 5 },
      (_, i) => session.step(frame(face(near(stranger, 0.05, i)))).kind,
    );
    expect(kinds).toEqual(['scanning', 'scanning', 'scanning', 'scanning', 'not_recognised']);
  });

  it('never votes while two people are in front, and starts again after', () => {
    const { session, alice, bob } = setup();
    session.step(frame(face(near(alice, 0.1, 1))));
    session.step(frame(face(near(alice, 0.1, 2))));
    expect(
      session.step(frame(face(near(alice, 0.1, 3)), face(near(bob, 0.1, 3), 140))),
    ).toMatchObject({
      kind: 'guidance',
      guidance: ['one_person'],
    });
    // The two earlier votes are gone: three fresh frames are needed.
    expect(session.step(frame(face(near(alice, 0.1, 4)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 5)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 6)))).kind).toBe('recognised');
  });

  it('ignores a small face far behind the guest', () => {
    const { session, alice, bob } = setup();
    const behind = face(near(bob, 0.1, 9), 50);
    expect(session.step(frame(face(near(alice, 0.1, 1)), behind)).kind).toBe('scanning');
  });

  it('turns quality reasons into guidance and does not count those frames', () => {
    const { session, alice } = setup();
    expect(
      session.step(frame(face(near(alice, 0.1, 1), 60, ['too_small', 'too_dark']))),
    ).toMatchObject({
      kind: 'guidance',
      guidance: ['come_closer', 'more_light'],
    });
    expect(session.step(frame(face(near(alice, 0.1, 2)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 3)))).kind).toBe('scanning');
    expect(session.step(frame(face(near(alice, 0.1, 4)))).kind).toBe('recognised');
  });

  it('forgets the person after 3 empty frames, so they can be answered again', () => {
    const { session, alice } = setup();
    for (let i = 0; i < 3; i++) session.step(frame(face(near(alice, 0.1, i))));
    for (let i = 0; i < 3; i++) expect(session.step(frame()).kind).toBe('no_face');
    session.step(frame(face(near(alice, 0.1, 7))));
    session.step(frame(face(near(alice, 0.1, 8))));
    expect(session.step(frame(face(near(alice, 0.1, 9)))).kind).toBe('recognised');
  });

  it('maps every quality reason to guidance, most useful first', () => {
    expect(guidanceFor(['blurry', 'too_small', 'turned_away'])).toEqual([
      'come_closer',
      'face_camera',
      'hold_still',
    ]);
    expect(guidanceFor(['too_bright'])).toEqual(['less_light']);
    expect(guidanceFor(['partly_out_of_frame', 'low_contrast'])).toEqual([
      'centre_face',
      'more_light',
    ]);
  });
});
