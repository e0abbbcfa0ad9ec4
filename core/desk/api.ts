// StaffApi: the enrolment desk's contract, in the style of core/api.ts (KioskApi). Every method
// has a zod input schema and a fixed list of errors. Every method except staffStatus and
// staffLogin needs a live staff session token, which only a correct PIN gives, so no staff
// function is reachable from the kiosk screens without the PIN. Method names all start with
// "staff", so they can share the kiosk's transports without clashing with KioskApi names.
import { z } from 'zod';
import { frameSchema } from '../api';
import { CONSENT_NOTICE } from './consent';
import type { DeskErrorCode } from './errors';

const token = z.string().min(1, 'staff session token required').max(128);
const guestId = z.string().min(1).max(64);
const captureId = z.string().regex(/^[a-f0-9]{32}$/, 'a capture id is 32 hex digits');
const staffId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a staff id is 1–64 letters, digits or . _ : -');
const pin = z.string().max(64);

const guestSummarySchema = z.object({
  id: z.string(),
  registrationId: z.string(),
  name: z.string(),
  nameLatin: z.string().nullable(),
  organisation: z.string().nullable(),
  category: z.string(),
  consent: z.enum(['unknown', 'granted', 'withdrawn']),
  revoked: z.boolean(),
  templateCount: z.number().int().optional(),
  checkedIn: z.boolean().optional(),
});

const progressSchema = z.object({
  goodFrames: z.number().int(),
  framesNeeded: z.number().int(),
  yawSpreadDeg: z.number(),
  pitchSpreadDeg: z.number(),
  poseVariety: z.boolean(),
  consistent: z.boolean(),
  complete: z.boolean(),
  hint: z.enum(['hold_still', 'turn_head_slightly', 'tilt_head_slightly', 'done']),
});

const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  staffId: z.string().nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

const sessionSchema = z.object({
  staffId: z.string(),
  startedAt: z.number(),
  lastActiveAt: z.number(),
  expiresAt: z.number(),
});

const consentNoticeSchema = z.object({
  version: z.string(),
  stored: z.string(),
  retentionDays: z.number().int(),
});

/** Every error a staff method can return. */
export const staffErrorCodes = [
  'pin_not_set',
  'pin_already_set',
  'pin_format',
  'pin_wrong',
  'pin_locked',
  'pin_store_corrupt',
  'bad_staff_id',
  'session_invalid',
  'session_expired',
  'bad_query',
  'guest_not_found',
  'guest_revoked',
  'consent_required',
  'capture_not_found',
  'no_face',
  'several_faces',
  'poor_quality',
  'capture_incomplete',
  'inconsistent_faces',
  'lookalike_unconfirmed',
  'no_entrance',
  'no_templates',
  'invalid_input',
  'busy',
  'unknown_method',
  'internal',
  /** Browser mode: the per-launch token was missing or wrong, or the Host/Origin was foreign. */
  'unauthorized',
] as const satisfies readonly (DeskErrorCode | 'unknown_method' | 'internal' | 'unauthorized')[];
export type StaffErrorCode = (typeof staffErrorCodes)[number];

const SESSION_ERRORS = ['invalid_input', 'session_invalid', 'session_expired', 'internal'] as const;

export const staffMethods = {
  /** Whether a PIN is set, whether staff mode is locked; the consent notice. No token needed. */
  staffStatus: {
    input: z.object({}).strict(),
    result: z.object({
      pinSet: z.boolean(),
      locked: z.boolean(),
      retryAfterMs: z.number().int(),
      idleMs: z.number().int(),
      consentNotice: consentNoticeSchema,
    }),
    errors: ['invalid_input', 'pin_store_corrupt', 'internal'],
  },
  /** PIN + who is at the desk → a session token (ends after idleMs without activity). */
  staffLogin: {
    input: z.object({ pin, staffId }).strict(),
    result: z.object({ token: z.string(), session: sessionSchema }),
    errors: [
      'invalid_input',
      'pin_not_set',
      'pin_wrong',
      'pin_locked',
      'pin_store_corrupt',
      'bad_staff_id',
      'internal',
    ],
  },
  staffLogout: {
    input: z.object({ token }).strict(),
    result: z.object({ loggedOut: z.literal(true) }),
    errors: [...SESSION_ERRORS],
  },
  /** The session's remaining time, without counting as activity. */
  staffSession: {
    input: z.object({ token }).strict(),
    result: sessionSchema,
    errors: [...SESSION_ERRORS],
  },
  staffChangePin: {
    input: z.object({ token, currentPin: pin, newPin: pin }).strict(),
    result: z.object({ changed: z.literal(true) }),
    errors: [...SESSION_ERRORS, 'pin_wrong', 'pin_locked', 'pin_format'],
  },
  staffSearch: {
    input: z
      .object({
        token,
        query: z.string().max(200),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    result: z.object({ hits: z.array(guestSummarySchema), total: z.number().int() }),
    errors: [...SESSION_ERRORS, 'bad_query'],
  },
  /** The guest card: record, stored faces (never descriptors), check-ins, audit history. */
  staffGuest: {
    input: z.object({ token, guestId }).strict(),
    result: z.object({
      guest: guestSummarySchema.extend({ language: z.string().nullable() }).passthrough(),
      templates: z.array(
        z.object({
          id: z.string(),
          guestId: z.string(),
          quality: z.number(),
          source: z.string(),
          modelId: z.string(),
          createdAt: z.string(),
          photoSha256: z.string().nullable(),
        }),
      ),
      checkIns: z.array(z.object({ id: z.string(), occurredAt: z.string() }).passthrough()),
      history: z.array(auditEntrySchema),
    }),
    errors: [...SESSION_ERRORS, 'guest_not_found'],
  },
  /** The guest confirmed the consent screen (notice version shown); recorded with time and staff. */
  staffGrantConsent: {
    input: z.object({ token, guestId, noticeVersion: z.string().min(1).max(32) }).strict(),
    result: z.object({ consent: z.literal('granted') }),
    errors: [...SESSION_ERRORS, 'guest_not_found', 'guest_revoked'],
  },
  /** Withdraw consent: every face of the guest deleted here and, through sync, everywhere. */
  staffWithdrawConsent: {
    input: z.object({ token, guestId }).strict(),
    result: z.object({ templatesRemoved: z.number().int() }),
    errors: [...SESSION_ERRORS, 'guest_not_found'],
  },
  staffStartCapture: {
    input: z.object({ token, guestId }).strict(),
    result: z.object({ captureId: z.string(), progress: progressSchema }),
    errors: [...SESSION_ERRORS, 'guest_not_found', 'guest_revoked', 'consent_required'],
  },
  /** One camera frame of the capture; the answer says whether it was kept and what to do next. */
  staffAddFrame: {
    input: z.object({ token, captureId, frame: frameSchema }).strict(),
    result: z.object({
      accepted: z.boolean(),
      refusal: z.enum(['no_face', 'several_faces', 'poor_quality']).nullable(),
      qualityReasons: z.array(z.string()),
      box: z
        .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
        .nullable(),
      progress: progressSchema,
    }),
    errors: [...SESSION_ERRORS, 'capture_not_found', 'invalid_input', 'busy'],
  },
  /** The result before saving, with any other guest the new face already matches. */
  staffReview: {
    input: z.object({ token, captureId }).strict(),
    result: z.object({
      captureId: z.string(),
      guest: guestSummarySchema,
      progress: progressSchema,
      frames: z.array(
        z.object({
          yawDeg: z.number(),
          pitchDeg: z.number(),
          sharpness: z.number(),
          brightness: z.number(),
        }),
      ),
      lookalikes: z.array(z.object({ guest: guestSummarySchema, distance: z.number() })),
      replaces: z.number().int(),
    }),
    errors: [...SESSION_ERRORS, 'capture_not_found', 'capture_incomplete', 'inconsistent_faces'],
  },
  staffSave: {
    input: z.object({ token, captureId, confirmLookalikes: z.boolean().default(false) }).strict(),
    result: z.object({ templates: z.number().int() }),
    errors: [
      ...SESSION_ERRORS,
      'capture_not_found',
      'capture_incomplete',
      'inconsistent_faces',
      'lookalike_unconfirmed',
      'consent_required',
    ],
  },
  staffCancelCapture: {
    input: z.object({ token, captureId }).strict(),
    result: z.object({ cancelled: z.literal(true) }),
    errors: [...SESSION_ERRORS, 'capture_not_found'],
  },
  /** Remove one stored face (templateId) or all of them (null). */
  staffRemoveFace: {
    input: z.object({ token, guestId, templateId: z.string().max(64).nullable() }).strict(),
    result: z.object({ removed: z.number().int() }),
    errors: [...SESSION_ERRORS, 'guest_not_found', 'no_templates'],
  },
  /** When the face does not work: check in by guest id or registration number (method manual). */
  staffManualCheckIn: {
    input: z
      .object({
        token,
        guestId: guestId.optional(),
        registrationId: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .refine((v) => (v.guestId === undefined) !== (v.registrationId === undefined), {
        message: 'give either guestId or registrationId',
      }),
    result: z.object({
      kind: z.enum(['checked_in', 'welcome_back', 'not_allowed_here', 'revoked']),
      guest: guestSummarySchema,
      at: z.string(),
      entrance: z.object({ id: z.string(), name: z.string() }),
      firstAt: z.string().nullable(),
    }),
    errors: [...SESSION_ERRORS, 'guest_not_found', 'no_entrance'],
  },
  staffAuditLog: {
    input: z.object({ token, limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    result: z.object({ entries: z.array(auditEntrySchema) }),
    errors: [...SESSION_ERRORS],
  },
} as const satisfies Record<
  string,
  { input: z.ZodType; result: z.ZodType; errors: readonly StaffErrorCode[] }
>;

export { CONSENT_NOTICE };

export type StaffMethods = typeof staffMethods;
export type StaffMethodName = keyof StaffMethods;
export const staffMethodNames = Object.keys(staffMethods) as StaffMethodName[];

export type StaffMethodInput<M extends StaffMethodName> = z.input<StaffMethods[M]['input']>;
export type StaffMethodResult<M extends StaffMethodName> = z.output<StaffMethods[M]['result']>;

export interface StaffErrorInfo {
  code: StaffErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
  details?: Record<string, unknown>;
}

export type StaffOutcome<T> = { ok: true; value: T } | { ok: false; error: StaffErrorInfo };

/** window.desk: one async function per method; errors come back as values. */
export type StaffApi = {
  [M in StaffMethodName]: (
    input: StaffMethodInput<M>,
  ) => Promise<StaffOutcome<StaffMethodResult<M>>>;
};

/** The core side: one handler per method, given validated input. Throw DeskError to fail. */
export type StaffHandlers = {
  [M in StaffMethodName]: (
    input: z.output<StaffMethods[M]['input']>,
  ) => Promise<StaffMethodResult<M>>;
};

export function isStaffMethod(name: unknown): name is StaffMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(staffMethods, name);
}

/** Electron IPC channel for a staff method. */
export function staffIpcChannel(method: StaffMethodName): string {
  return `desk:${method}`;
}
