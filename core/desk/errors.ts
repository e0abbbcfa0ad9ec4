// Every refusal of the enrolment desk is a DeskError with a stable `code`, so the staff screens
// show specific guidance and the API returns it as data. Messages never contain biometric data.

export type DeskErrorCode =
  /** No staff PIN has been set at install yet. */
  | 'pin_not_set'
  /** A PIN is already set; changing it needs the current one. */
  | 'pin_already_set'
  /** The PIN is not 4–12 digits. */
  | 'pin_format'
  /** The PIN is wrong (details.triesLeft says how many remain before a lock). */
  | 'pin_wrong'
  /** Too many wrong PINs: staff mode is locked (details.retryAfterMs). */
  | 'pin_locked'
  /** The PIN file cannot be read or is damaged. */
  | 'pin_store_corrupt'
  /** A staff id is missing or malformed. */
  | 'bad_staff_id'
  /** No valid staff session: unknown or missing token. */
  | 'session_invalid'
  /** The staff session was idle too long and has ended. */
  | 'session_expired'
  /** The search query is empty, too long or has no searchable characters. */
  | 'bad_query'
  /** No guest with that id or registration number. */
  | 'guest_not_found'
  /** The guest's badge is revoked: no enrolment or check-in. */
  | 'guest_revoked'
  /** Enrolment needs the guest's recorded consent first. */
  | 'consent_required'
  /** No enrolment session with that id (never started, finished or expired). */
  | 'capture_not_found'
  /** The frame has no face. */
  | 'no_face'
  /** The frame has more than one face. */
  | 'several_faces'
  /** The face fails the engine's quality checks (details.reasons). */
  | 'poor_quality'
  /** Not enough good frames, or not enough variety of pose, to save yet. */
  | 'capture_incomplete'
  /** The frames do not look like one and the same person. */
  | 'inconsistent_faces'
  /** The face matches another guest and staff have not confirmed that it is right. */
  | 'lookalike_unconfirmed'
  /** The event has no entrance here, so a check-in cannot be recorded. */
  | 'no_entrance'
  /** Nothing to remove: the guest has no face templates. */
  | 'no_templates'
  /** Another frame of this capture is still being processed: this one is dropped. */
  | 'busy'
  /** A bad argument that the schema could not catch (e.g. a malformed image). */
  | 'invalid_input';

export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: DeskErrorCode,
    message: string,
    /** Small, non-biometric context (tries left, retry delay, quality reasons). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isDeskError(value: unknown): value is DeskError {
  return value instanceof DeskError;
}
