// The handler map behind KioskApi: engine → session (matcher + vote) → check-in rules → answer.
// Both transports (Electron IPC, browser-mode HTTP) call these through dispatch() in core/api.ts.
import {
  KioskError,
  type Frame,
  type FrameResult,
  type KioskHandlers,
  type KioskStatus,
  type SyncView,
} from '../api';
import {
  checkIn,
  CheckInRefused,
  type CheckInAnswer,
  type CheckInRequest,
} from '../checkin/checkin';
import type { DetectOptions, FaceEngine } from '../face/engine';
import { isFaceEngineError } from '../face/errors';
import type { DetectionResult, GuestId, IdentifyResult, ImageInput } from '../face/types';
import { getEntrance, getEvent } from '../store/event';
import { getGuestByRegistrationId } from '../store/guests';
import type { Store } from '../store/store';
import { screenFor } from './answers';
import { FrameSession, type SessionOptions } from './session';

export interface KioskDeps {
  engine: Pick<FaceEngine, 'detect'>;
  matcher: { identify(descriptor: Float32Array): IdentifyResult; readonly guestCount: number };
  store: Store;
  kioskId: string;
  /** The entrance this kiosk stands at; null until configured (the kiosk is not ready then). */
  entranceId: string | null;
  /** UI languages of the event, default first. */
  languages?: string[];
  /** Width the UI scales camera frames to. */
  frameWidth?: number;
  resultMs?: number;
  session?: SessionOptions;
  detect?: DetectOptions;
  /** The hub link's state for the status; absent: this kiosk is not paired. */
  sync?: () => SyncView;
  /** Observes each detection's timings (benchmarks); never receives descriptors. */
  onTimings?: (timings: Record<string, number>) => void;
}

export const DEFAULT_FRAME_WIDTH = 480;
export const DEFAULT_RESULT_MS = 5000;
export const DEFAULT_LANGUAGES = ['en', 'zh-CN'];

const BAD_FRAME_CODES = new Set([
  'empty_input',
  'unsupported_format',
  'corrupt_image',
  'image_too_large',
  'invalid_frame',
]);

function imageOf(frame: Frame): ImageInput {
  return frame.format === 'rgba'
    ? { kind: 'rgba', data: frame.data, width: frame.width, height: frame.height }
    : { kind: 'encoded', data: frame.data };
}

export function createKioskHandlers(deps: KioskDeps): KioskHandlers & { close(): void } {
  const session = new FrameSession((d) => deps.matcher.identify(d), deps.session);
  let inFlight = false;
  let lastAnswer: FrameResult | null = null;

  function entrance() {
    if (!deps.entranceId) return null;
    return getEntrance(deps.store, deps.entranceId);
  }

  function requireEntrance(): string {
    const here = entrance();
    if (!here) {
      throw new KioskError(
        'not_ready',
        deps.entranceId
          ? `entrance ${deps.entranceId} is not an entrance of this kiosk's event`
          : 'this kiosk has no entrance set (start it with --entrance ID)',
      );
    }
    return here.id;
  }

  function runCheckIn(guestId: GuestId, request: Omit<CheckInRequest, 'entrance' | 'kiosk'>) {
    const entranceId = requireEntrance();
    let answer: CheckInAnswer;
    try {
      answer = checkIn(deps.store, guestId, {
        ...request,
        entrance: entranceId,
        kiosk: deps.kioskId,
      });
    } catch (error) {
      // The guest was deleted between the match and the check-in: treat as a stranger.
      if (
        error instanceof CheckInRefused &&
        (error.reason === 'unknown_guest' || error.reason === 'guest_deleted')
      ) {
        return { kind: 'not_recognised' } as const;
      }
      if (error instanceof CheckInRefused && error.reason === 'unknown_entrance') {
        throw new KioskError('not_ready', error.message);
      }
      throw error;
    }
    return screenFor(answer);
  }

  async function detect(frame: Frame): Promise<DetectionResult> {
    try {
      const result = await deps.engine.detect(imageOf(frame), deps.detect);
      deps.onTimings?.(result.timings);
      return result;
    } catch (error) {
      if (isFaceEngineError(error)) {
        if (BAD_FRAME_CODES.has(error.code)) throw new KioskError('bad_frame', error.message);
        if (error.code === 'worker_crashed' || error.code === 'engine_closed') {
          throw new KioskError('not_ready', `the face engine is restarting (${error.code})`);
        }
      }
      throw error;
    }
  }

  return {
    async getStatus(): Promise<KioskStatus> {
      const event = getEvent(deps.store);
      const here = entrance();
      return {
        ready: event !== null && here !== null,
        kioskId: deps.kioskId,
        event: event ? { id: event.id, name: event.name } : null,
        entrance: here,
        languages: deps.languages?.length ? deps.languages : DEFAULT_LANGUAGES,
        guestCount: deps.matcher.guestCount,
        frameWidth: deps.frameWidth ?? DEFAULT_FRAME_WIDTH,
        resultMs: deps.resultMs ?? DEFAULT_RESULT_MS,
        sync: deps.sync?.() ?? { state: 'unpaired', lastSyncAt: null, waiting: 0 },
      };
    },

    async submitFrame({ frame }): Promise<FrameResult> {
      // At most one frame in core per kiosk: a second one is dropped, never queued.
      if (inFlight) throw new KioskError('busy', 'the previous frame is still being processed');
      inFlight = true;
      try {
        requireEntrance();
        const step = session.step(await detect(frame));
        switch (step.kind) {
          case 'no_face':
            lastAnswer = null;
            return step;
          case 'guidance':
          case 'scanning':
            return step;
          case 'not_recognised':
            lastAnswer = { kind: 'not_recognised' };
            return lastAnswer;
          case 'recognised':
            lastAnswer = runCheckIn(step.guestId, { method: 'face', distance: step.distance });
            return lastAnswer;
          case 'decided':
            return lastAnswer ?? { kind: 'scanning', faces: [] };
        }
      } finally {
        inFlight = false;
      }
    },

    async resetSession() {
      session.reset();
      lastAnswer = null;
      return { reset: true as const };
    },

    async checkInByCode({ code }): Promise<FrameResult> {
      requireEntrance();
      const guest = getGuestByRegistrationId(deps.store, code);
      if (!guest) throw new KioskError('unknown_code', 'no guest has this registration number');
      const result = runCheckIn(guest.id, { method: 'qr', distance: null });
      if (result.kind === 'not_recognised') {
        throw new KioskError('unknown_code', 'no guest has this registration number');
      }
      return result;
    },

    close() {
      session.reset();
      lastAnswer = null;
    },
  };
}
