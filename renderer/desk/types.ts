// The StaffApi as the staff screens see it. The renderer may import types only from
// core/api.ts (eslint layer rule), so this mirrors core/desk/api.ts; test/unit/desk-ui-types.test.ts
// checks at compile time that the two agree.

export type StaffErrorCode =
  | 'pin_not_set'
  | 'pin_already_set'
  | 'pin_format'
  | 'pin_wrong'
  | 'pin_locked'
  | 'pin_store_corrupt'
  | 'bad_staff_id'
  | 'session_invalid'
  | 'session_expired'
  | 'bad_query'
  | 'guest_not_found'
  | 'guest_revoked'
  | 'consent_required'
  | 'capture_not_found'
  | 'no_face'
  | 'several_faces'
  | 'poor_quality'
  | 'capture_incomplete'
  | 'inconsistent_faces'
  | 'lookalike_unconfirmed'
  | 'no_entrance'
  | 'no_templates'
  | 'invalid_input'
  | 'busy'
  | 'unknown_method'
  | 'internal'
  | 'unauthorized';

export interface StaffErrorInfo {
  code: StaffErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type StaffOutcome<T> = { ok: true; value: T } | { ok: false; error: StaffErrorInfo };

export interface GuestSummary {
  id: string;
  registrationId: string;
  name: string;
  nameLatin: string | null;
  organisation: string | null;
  category: string;
  consent: 'unknown' | 'granted' | 'withdrawn';
  revoked: boolean;
  templateCount?: number | undefined;
  checkedIn?: boolean | undefined;
}

export interface CaptureProgress {
  goodFrames: number;
  framesNeeded: number;
  yawSpreadDeg: number;
  pitchSpreadDeg: number;
  poseVariety: boolean;
  consistent: boolean;
  complete: boolean;
  hint: 'hold_still' | 'turn_head_slightly' | 'tilt_head_slightly' | 'done';
}

export interface AuditEntry {
  id: number;
  at: string;
  staffId: string | null;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export interface SessionInfo {
  staffId: string;
  startedAt: number;
  lastActiveAt: number;
  expiresAt: number;
}

export interface Frame {
  format: 'rgba';
  width: number;
  height: number;
  data: Uint8Array<ArrayBuffer>;
}

export interface TemplateView {
  id: string;
  quality: number;
  source: string;
  createdAt: string;
}

export interface GuestCardView {
  guest: GuestSummary & { language: string | null };
  templates: TemplateView[];
  checkIns: { id: string; occurredAt: string }[];
  history: AuditEntry[];
}

export interface FrameFeedback {
  accepted: boolean;
  refusal: 'no_face' | 'several_faces' | 'poor_quality' | null;
  qualityReasons: string[];
  box: { x: number; y: number; width: number; height: number } | null;
  progress: CaptureProgress;
}

export interface ReviewView {
  captureId: string;
  guest: GuestSummary;
  progress: CaptureProgress;
  frames: { yawDeg: number; pitchDeg: number; sharpness: number; brightness: number }[];
  lookalikes: { guest: GuestSummary; distance: number }[];
  replaces: number;
}

export interface ManualCheckInView {
  kind: 'checked_in' | 'welcome_back' | 'not_allowed_here' | 'revoked';
  guest: GuestSummary;
  at: string;
  entrance: { id: string; name: string };
  firstAt: string | null;
}

type Call<I, R> = (input: I) => Promise<StaffOutcome<R>>;
type WithToken<I = object> = I & { token: string };

/** The methods the staff screens call (a subset view of core/desk/api.ts's StaffApi). */
export interface DeskClient {
  staffStatus: Call<
    Record<string, never>,
    {
      pinSet: boolean;
      locked: boolean;
      retryAfterMs: number;
      idleMs: number;
      consentNotice: { version: string; stored: string; retentionDays: number };
    }
  >;
  staffLogin: Call<{ pin: string; staffId: string }, { token: string; session: SessionInfo }>;
  staffLogout: Call<WithToken, { loggedOut: true }>;
  staffSession: Call<WithToken, SessionInfo>;
  staffSearch: Call<
    WithToken<{ query: string; limit?: number }>,
    { hits: GuestSummary[]; total: number }
  >;
  staffGuest: Call<WithToken<{ guestId: string }>, GuestCardView>;
  staffGrantConsent: Call<
    WithToken<{ guestId: string; noticeVersion: string }>,
    { consent: 'granted' }
  >;
  staffWithdrawConsent: Call<WithToken<{ guestId: string }>, { templatesRemoved: number }>;
  staffStartCapture: Call<
    WithToken<{ guestId: string }>,
    { captureId: string; progress: CaptureProgress }
  >;
  staffAddFrame: Call<WithToken<{ captureId: string; frame: Frame }>, FrameFeedback>;
  staffReview: Call<WithToken<{ captureId: string }>, ReviewView>;
  staffSave: Call<
    WithToken<{ captureId: string; confirmLookalikes?: boolean }>,
    { templates: number }
  >;
  staffCancelCapture: Call<WithToken<{ captureId: string }>, { cancelled: true }>;
  staffRemoveFace: Call<
    WithToken<{ guestId: string; templateId: string | null }>,
    { removed: number }
  >;
  staffManualCheckIn: Call<
    WithToken<{ guestId?: string; registrationId?: string }>,
    ManualCheckInView
  >;
  staffAuditLog: Call<WithToken<{ limit?: number }>, { entries: AuditEntry[] }>;
}
