// The StaffApi as the staff screens see it. Every type here is derived from the contract the
// renderer may import from (core/api.ts, which re-exports the desk's method map types), so the
// screens and core cannot drift apart: a changed result shape fails `tsc` in the screen using it.
import type {
  StaffApi,
  StaffErrorCode,
  StaffErrorInfo,
  StaffMethodInput,
  StaffMethodResult,
  StaffOutcome,
} from '../../core/api';

export type { StaffErrorCode, StaffErrorInfo, StaffOutcome };

/** What the staff screens call: window.kiosk.staff in Electron, HTTP in browser mode. */
export type DeskClient = StaffApi;

export type GuestSummary = StaffMethodResult<'staffSearch'>['hits'][number];
export type GuestCardView = StaffMethodResult<'staffGuest'>;
export type TemplateView = GuestCardView['templates'][number];
export type FrameFeedback = StaffMethodResult<'staffAddFrame'>;
export type CaptureProgress = FrameFeedback['progress'];
export type ReviewView = StaffMethodResult<'staffReview'>;
export type ManualCheckInView = StaffMethodResult<'staffManualCheckIn'>;
export type AuditEntry = StaffMethodResult<'staffAuditLog'>['entries'][number];
export type SessionInfo = StaffMethodResult<'staffSession'>;
/** A camera frame as the staff screens send it (raw RGBA). */
export type Frame = Extract<StaffMethodInput<'staffAddFrame'>['frame'], { format: 'rgba' }>;
