// The handler map behind StaffApi: thin adapters from validated input to the Desk service.
import type { Frame } from '../api';
import type { ImageInput } from '../face/types';
import type { StaffHandlers } from './api';
import { CONSENT_NOTICE } from './consent';
import type { Desk } from './desk';
import { DeskError } from './errors';

function imageOf(frame: Frame): ImageInput {
  return frame.format === 'rgba'
    ? { kind: 'rgba', data: frame.data, width: frame.width, height: frame.height }
    : { kind: 'encoded', data: frame.data };
}

export function createStaffHandlers(desk: Desk): StaffHandlers {
  // One frame at a time per capture: a frame arriving while one is processed is dropped.
  const busy = new Set<string>();

  return {
    async staffStatus() {
      const status = desk.pinStatus();
      return {
        pinSet: status.set,
        locked: status.locked,
        retryAfterMs: status.retryAfterMs,
        idleMs: desk.sessions.idleMs,
        consentNotice: { ...CONSENT_NOTICE },
      };
    },
    async staffLogin({ pin, staffId }) {
      const { token, session } = await desk.login(pin, staffId);
      return { token, session: publicSession(session) };
    },
    async staffLogout({ token }) {
      desk.logout(token);
      return { loggedOut: true as const };
    },
    async staffSession({ token }) {
      return publicSession(desk.session(token));
    },
    async staffChangePin({ token, currentPin, newPin }) {
      await desk.changePin(token, currentPin, newPin);
      return { changed: true as const };
    },
    async staffSearch({ token, query, limit }) {
      return desk.search(token, query, limit);
    },
    async staffGuest({ token, guestId }) {
      return desk.guestCard(token, guestId);
    },
    async staffGrantConsent({ token, guestId, noticeVersion }) {
      desk.grantConsent(token, guestId, noticeVersion);
      return { consent: 'granted' as const };
    },
    async staffWithdrawConsent({ token, guestId }) {
      return desk.withdrawConsent(token, guestId);
    },
    async staffStartCapture({ token, guestId }) {
      return desk.startCapture(token, guestId);
    },
    async staffAddFrame({ token, captureId, frame }) {
      desk.session(token); // refuse before anything else when there is no session
      if (busy.has(captureId)) throw new DeskError('busy', 'Still processing the last frame.');
      busy.add(captureId);
      try {
        return await desk.addFrame(token, captureId, imageOf(frame));
      } finally {
        busy.delete(captureId);
      }
    },
    async staffReview({ token, captureId }) {
      return desk.review(token, captureId);
    },
    async staffSave({ token, captureId, confirmLookalikes }) {
      return desk.save(token, captureId, confirmLookalikes);
    },
    async staffCancelCapture({ token, captureId }) {
      desk.cancelCapture(token, captureId);
      return { cancelled: true as const };
    },
    async staffRemoveFace({ token, guestId, templateId }) {
      return desk.removeFace(token, guestId, templateId);
    },
    async staffManualCheckIn({ token, guestId, registrationId }) {
      const { answer, guest } = desk.manualCheckIn(
        token,
        guestId !== undefined ? { guestId } : { registrationId: registrationId! },
      );
      return {
        kind: answer.kind,
        guest,
        at: answer.at,
        entrance: answer.entrance,
        firstAt: answer.kind === 'welcome_back' ? answer.first.at : null,
      };
    },
    async staffAuditLog({ token, limit }) {
      return { entries: desk.auditLog(token, limit) };
    },
  };
}

function publicSession(session: {
  staffId: string;
  startedAt: number;
  lastActiveAt: number;
  expiresAt: number;
}) {
  return {
    staffId: session.staffId,
    startedAt: session.startedAt,
    lastActiveAt: session.lastActiveAt,
    expiresAt: session.expiresAt,
  };
}
