// KioskApi: the one contract between the check-in screen and the kiosk core.
// Every method has a zod schema for its input and its result, and a fixed list of errors.
// The same handler map (core/kiosk/) serves it over Electron IPC and over HTTP on 127.0.0.1;
// the renderer imports only the types from here and reaches core through window.kiosk.
import { z } from 'zod';
import { dispatchCall, type DispatchRules } from './rpc';

/** Widest frame the kiosk accepts; the UI scales its camera frames to about 320-480 px. */
export const MAX_FRAME_WIDTH = 1280;
export const MAX_FRAME_HEIGHT = 960;
/** Largest JPEG frame accepted, in bytes. */
export const MAX_JPEG_BYTES = 2 * 1024 * 1024;

const bytes = z.instanceof(Uint8Array, { message: 'expected bytes (Uint8Array)' });

export const frameSchema = z.discriminatedUnion('format', [
  z
    .object({
      format: z.literal('rgba'),
      width: z.number().int().min(32).max(MAX_FRAME_WIDTH),
      height: z.number().int().min(32).max(MAX_FRAME_HEIGHT),
      data: bytes,
    })
    .refine((f) => f.data.byteLength === f.width * f.height * 4, {
      message: 'rgba frame data must be width × height × 4 bytes',
      path: ['data'],
    }),
  z.object({
    format: z.literal('jpeg'),
    data: bytes.refine((d) => d.byteLength > 0 && d.byteLength <= MAX_JPEG_BYTES, {
      message: `a jpeg frame is 1 byte to ${MAX_JPEG_BYTES} bytes`,
    }),
  }),
]);

const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** What the guest is told to do, derived from the engine's quality reasons. */
export const guidanceSchema = z.enum([
  'come_closer',
  'face_camera',
  'one_person',
  'more_light',
  'less_light',
  'hold_still',
  'centre_face',
]);

export const categorySchema = z.enum(['vip', 'speaker', 'press', 'staff', 'attendee']);

const entranceViewSchema = z.object({ id: z.string(), name: z.string() });

/** What the welcome screen may show about a guest: no descriptors, no ids beyond the guest's own. */
export const guestViewSchema = z.object({
  name: z.string(),
  nameLatin: z.string().nullable(),
  organisation: z.string().nullable(),
  category: categorySchema,
  /** BCP 47 tag the guest prefers (e.g. "zh-CN"), null when unknown. */
  language: z.string().nullable(),
});

const isoTime = z.string();

/** Where a detected face is, in the frame's own pixel coordinates (before any mirroring). */
const faceOutlineSchema = z.object({ box: boxSchema, acceptable: z.boolean() });

export const frameResultSchema = z.discriminatedUnion('kind', [
  /** Nobody in front of the camera. */
  z.object({ kind: z.literal('no_face') }),
  /** Somebody is there but the picture is not good enough yet; tell them what to do. */
  z.object({
    kind: z.literal('guidance'),
    faces: z.array(faceOutlineSchema),
    guidance: z.array(guidanceSchema).min(1),
  }),
  /** A good face; the multi-frame vote has not decided yet. */
  z.object({ kind: z.literal('scanning'), faces: z.array(faceOutlineSchema) }),
  z.object({
    kind: z.literal('checked_in'),
    guest: guestViewSchema,
    entrance: entranceViewSchema,
    at: isoTime,
  }),
  z.object({
    kind: z.literal('already_checked_in'),
    guest: guestViewSchema,
    entrance: entranceViewSchema,
    /** When and where the guest first checked in. */
    firstAt: isoTime,
    firstEntrance: entranceViewSchema.nullable(),
  }),
  z.object({
    kind: z.literal('not_allowed_here'),
    guest: guestViewSchema,
    entrance: entranceViewSchema,
    /** Entrances this guest may use instead. */
    allowed: z.array(entranceViewSchema),
  }),
  /** Recognised but their pass is withdrawn: staff must help; the screen shows no personal data. */
  z.object({ kind: z.literal('see_staff') }),
  /** The vote decided this face is not an enrolled guest. Nothing is written. */
  z.object({ kind: z.literal('not_recognised') }),
]);

/**
 * The kiosk's link to the hub, for staff: unpaired (no hub configured), connecting (first
 * exchange not done yet), online, offline (hub away: retrying with backoff) or error (the hub
 * refused this kiosk, e.g. its pairing was revoked: pair again).
 */
export const syncStateSchema = z.enum(['unpaired', 'connecting', 'online', 'offline', 'error']);

export const syncViewSchema = z.object({
  state: syncStateSchema,
  /** End of the last full push and pull (ISO time), null before the first one. */
  lastSyncAt: isoTime.nullable(),
  /** Local changes (check-ins, enrolments) the hub has not acknowledged yet. */
  waiting: z.number().int().min(0),
});

export const statusSchema = z.object({
  ready: z.boolean(),
  kioskId: z.string(),
  event: z.object({ id: z.string(), name: z.string() }).nullable(),
  entrance: entranceViewSchema.nullable(),
  /** UI languages for this event, first is the default. */
  languages: z.array(z.string()).min(1),
  guestCount: z.number().int().min(0),
  /** Width the UI should scale camera frames to before sending them. */
  frameWidth: z.number().int().min(160).max(MAX_FRAME_WIDTH),
  /** How long a result screen stays before the kiosk returns to idle. */
  resultMs: z.number().int().min(1000),
  sync: syncViewSchema,
});

const codeSchema = z
  .string()
  .trim()
  .min(1, 'enter a registration number')
  .max(200, 'a registration number is at most 200 characters');

export type Frame = z.infer<typeof frameSchema>;
export type Guidance = z.infer<typeof guidanceSchema>;
export type GuestView = z.infer<typeof guestViewSchema>;
export type FrameResult = z.infer<typeof frameResultSchema>;
export type KioskStatus = z.infer<typeof statusSchema>;
export type SyncView = z.infer<typeof syncViewSchema>;
export type SyncViewState = z.infer<typeof syncStateSchema>;

/** Every error any method can return; each method lists the ones it may produce. */
export const kioskErrorCodes = [
  /** The input failed its schema; `issues` says where. */
  'invalid_input',
  /** A call named no method of the map. */
  'unknown_method',
  /** The engine or store is still loading. */
  'not_ready',
  /** Another frame of this kiosk is still being processed: this one is dropped, not queued. */
  'busy',
  /** The frame could not be decoded (broken JPEG, wrong size). */
  'bad_frame',
  /** No guest holds that registration number (or QR code). */
  'unknown_code',
  /** Browser mode: the per-launch token was missing or wrong, or the Host/Origin was foreign. */
  'unauthorized',
  /** A bug or a broken disk: logged in core, reported without details. */
  'internal',
] as const;
export type KioskErrorCode = (typeof kioskErrorCodes)[number];

export interface KioskErrorInfo {
  code: KioskErrorCode;
  message: string;
  /** For invalid_input: which field failed and why. */
  issues?: { path: string; message: string }[];
}

/** What every call returns across the boundary: errors are values, typed, never thrown across. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: KioskErrorInfo };

export const kioskMethods = {
  /** Event, entrance, languages and whether the engine is ready. */
  getStatus: {
    input: z.object({}).strict(),
    result: statusSchema,
    errors: ['invalid_input', 'internal'],
  },
  /** One camera frame through detection, quality, matching and the multi-frame vote. */
  submitFrame: {
    input: z.object({ frame: frameSchema }).strict(),
    result: frameResultSchema,
    errors: ['invalid_input', 'not_ready', 'busy', 'bad_frame', 'internal'],
  },
  /** Forget the current vote (the screen went back to idle, or the guest walked away). */
  resetSession: {
    input: z.object({}).strict(),
    result: z.object({ reset: z.literal(true) }),
    errors: ['invalid_input', 'internal'],
  },
  /** Fallback: check in by registration number or the code of a QR pass. */
  checkInByCode: {
    input: z.object({ code: codeSchema }).strict(),
    result: frameResultSchema,
    errors: ['invalid_input', 'not_ready', 'unknown_code', 'internal'],
  },
} as const satisfies Record<
  string,
  { input: z.ZodType; result: z.ZodType; errors: readonly KioskErrorCode[] }
>;

export type KioskMethods = typeof kioskMethods;
export type KioskMethodName = keyof KioskMethods;
export const kioskMethodNames = Object.keys(kioskMethods) as KioskMethodName[];

export type MethodInput<M extends KioskMethodName> = z.input<KioskMethods[M]['input']>;
export type MethodResult<M extends KioskMethodName> = z.output<KioskMethods[M]['result']>;

/** window.kiosk: one async function per method; errors come back as values. */
export type KioskApi = {
  [M in KioskMethodName]: (input: MethodInput<M>) => Promise<Outcome<MethodResult<M>>>;
};

/** The core side: one handler per method, given validated input. Throw KioskError to fail. */
export type KioskHandlers = {
  [M in KioskMethodName]: (input: z.output<KioskMethods[M]['input']>) => Promise<MethodResult<M>>;
};

export class KioskError extends Error {
  constructor(
    readonly code: KioskErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'KioskError';
  }
}

/** Electron IPC channel for a method: one channel per method name. */
export function ipcChannel(method: KioskMethodName): string {
  return `kiosk:${method}`;
}

export function isKioskMethod(name: unknown): name is KioskMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(kioskMethods, name);
}

export { issuesOf } from './rpc';

const KIOSK_RULES: DispatchRules<KioskErrorInfo> = {
  owner: 'the kiosk',
  knownError(error) {
    if (!(error instanceof KioskError)) return null;
    const info: KioskErrorInfo = { code: error.code, message: error.message };
    if (error.issues) info.issues = error.issues;
    return info;
  },
};

/**
 * The single entry point both transports use (core/rpc.ts): validate the input with the
 * method's schema, run its handler, turn every failure into a typed error value. Unexpected
 * errors are reported to `onInternalError` (for a log) and cross the boundary without details.
 */
export async function dispatch(
  handlers: KioskHandlers,
  method: unknown,
  rawInput: unknown,
  onInternalError: (method: string, error: unknown) => void = () => {},
): Promise<Outcome<unknown>> {
  return (await dispatchCall(
    kioskMethods,
    handlers,
    method,
    rawInput,
    KIOSK_RULES,
    onInternalError,
  )) as Outcome<unknown>;
}

// The staff (enrolment desk) methods behind window.kiosk.staff are part of the same contract:
// their types are re-exported here so the staff screens import them from this one place.
export type {
  StaffApi,
  StaffErrorCode,
  StaffErrorInfo,
  StaffMethodInput,
  StaffMethodName,
  StaffMethodResult,
  StaffOutcome,
} from './desk/api';
