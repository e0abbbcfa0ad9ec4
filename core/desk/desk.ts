// The enrolment desk: what staff can do once the PIN is entered. Every method takes the staff
// session token first and fails with session_invalid / session_expired without it, so nothing
// here is reachable from the kiosk screens without the PIN. Every action goes to the audit log.
import { randomBytes } from 'node:crypto';
import { checkIn, CheckInRefused, type CheckInAnswer } from '../checkin/checkin';
import type { DetectionResult, GuestId, ImageInput } from '../face/types';
import type { CheckInRecord, GuestRecord } from '../protocol/sync';
import {
  addTemplate,
  deleteTemplate,
  firstCheckInOf,
  getGuest,
  getGuestByRegistrationId,
  listCheckIns,
  listEntrances,
  listGuestsAfter,
  listTemplates,
  saveGuest,
  StoreError,
  type Store,
  type StoreChange,
  type TemplateInfo,
} from '../store';
import { deleteTemplatesOfGuest } from '../store/templates';
import { deskAudit, readAudit, type AuditView } from './audit-log';
import type { Clock } from './clock';
import { DeskError } from './errors';
import {
  addToPool,
  captureProgress,
  DEFAULT_CAPTURE_POLICY,
  passesQuality,
  selectFrames,
  type CaptureFrame,
  type CapturePolicy,
  type CaptureProgress,
} from './frames';
import { PinVault, type PinStatus } from './pin';
import { GuestSearchIndex, type SearchableGuest } from './search-index';
import { StaffSessions, type StaffSession } from './session';

/** The matcher as the desk needs it (FaceMatcher in core/face/matcher.ts has this shape). */
export interface GalleryProbe {
  nearest(descriptor: Float32Array): {
    best: { guestId: GuestId; distance: number } | null;
    second: { guestId: GuestId; distance: number } | null;
  };
}

/** The face engine as the desk needs it (detect() of core/face/engine.ts). */
export type DetectFaces = (image: ImageInput) => Promise<DetectionResult>;

/** Where this desk is: check-ins made here carry these ids. */
export interface Station {
  kioskId: string;
  entranceId: string | null;
}

export interface DeskOptions {
  store: Store;
  gallery: GalleryProbe;
  detect: DetectFaces;
  /** File holding the PIN hash (next to the database). */
  pinFile: string;
  station: () => Station;
  /** Model id stored with each template (the engine's descriptor model). */
  modelId: string;
  clock?: Clock;
  idleMs?: number;
  capture?: Partial<CapturePolicy>;
  /** A face closer than this to another guest is a look-alike (the matcher's maxDistance). */
  lookalikeDistance?: number;
  /** An unfinished capture is dropped after this long. */
  captureTtlMs?: number;
  pinVault?: PinVault;
}

export interface GuestSummary extends SearchableGuest {
  templateCount: number;
  checkedIn: boolean;
}

export interface GuestCard {
  guest: GuestRecord;
  templates: TemplateInfo[];
  checkIns: CheckInRecord[];
  history: AuditView[];
}

export interface ManualCheckInResult {
  answer: CheckInAnswer;
  guest: SearchableGuest;
}

export interface FrameFeedback {
  accepted: boolean;
  /** Why the frame was not kept (null when it was). */
  refusal: 'no_face' | 'several_faces' | 'poor_quality' | null;
  qualityReasons: string[];
  /** The face box in frame pixels, for the camera overlay (null without exactly one face). */
  box: { x: number; y: number; width: number; height: number } | null;
  progress: CaptureProgress;
}

export interface Lookalike {
  guest: SearchableGuest;
  distance: number;
}

export interface CaptureReview {
  captureId: string;
  guest: SearchableGuest;
  progress: CaptureProgress;
  frames: { yawDeg: number; pitchDeg: number; sharpness: number; brightness: number }[];
  lookalikes: Lookalike[];
  /** Templates the guest has now, replaced on save (re-enrolment). */
  replaces: number;
}

interface Capture {
  id: string;
  sessionId: string;
  staffId: string;
  guestId: string;
  startedAt: number;
  pool: CaptureFrame[];
  reviewed: Lookalike[] | null;
}

const CAPTURE_ID = /^[a-f0-9]{32}$/;
/** More guest changes than this in one commit rebuild the search index instead of updating it. */
const REBUILD_AFTER_CHANGES = 1_000;
/** Guests indexed between two pauses of a build (a few milliseconds of work each). */
const INDEX_PAGE = 500;

type GuestChange = Extract<StoreChange, { type: 'guest' | 'guest_deleted' }>;
const isGuestChange = (c: StoreChange): c is GuestChange =>
  c.type === 'guest' || c.type === 'guest_deleted';

export class Desk {
  readonly sessions: StaffSessions;
  readonly pins: PinVault;
  /** The search index; null until the first build ends. */
  private index: GuestSearchIndex | null = null;
  /** A build in progress; guest changes seen meanwhile wait in `pendingChanges`. */
  private building: Promise<GuestSearchIndex> | null = null;
  private pendingChanges: GuestChange[] = [];
  private closed = false;
  private readonly captures = new Map<string, Capture>();
  private readonly policy: CapturePolicy;
  private readonly clock: Clock;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: DeskOptions) {
    this.clock = options.clock ?? (() => options.store.clock().getTime());
    this.sessions = new StaffSessions(this.clock, options.idleMs);
    this.pins = options.pinVault ?? new PinVault(options.pinFile, this.clock);
    this.policy = { ...DEFAULT_CAPTURE_POLICY, ...options.capture };
    this.unsubscribe = options.store.onChange((changes) => this.follow(changes));
    // A failed build is retried by the next search (currentIndex); nothing else waits on it.
    this.buildIndex().catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const capture of this.captures.values()) wipe(capture);
    this.captures.clear();
    this.sessions.closeAll();
  }

  // --- PIN and session -------------------------------------------------------------------

  pinStatus(): PinStatus {
    return this.pins.status();
  }

  /** At install: the first PIN. Refused once one is set. */
  async setPin(pin: string): Promise<void> {
    await this.pins.set(pin);
    deskAudit(this.options.store, 'staff.pin_set', { staffId: null });
  }

  async changePin(token: string, current: string, next: string): Promise<void> {
    const session = this.sessions.touch(token);
    await this.pins.change(current, next);
    deskAudit(this.options.store, 'staff.pin_changed', { staffId: session.staffId });
  }

  async login(pin: string, staffId: string): Promise<{ token: string; session: StaffSession }> {
    const store = this.options.store;
    try {
      await this.pins.verify(pin);
    } catch (error) {
      if (
        error instanceof DeskError &&
        (error.code === 'pin_wrong' || error.code === 'pin_locked')
      ) {
        const safeId = typeof staffId === 'string' ? staffId.slice(0, 64) : null;
        deskAudit(store, error.code === 'pin_locked' ? 'staff.locked' : 'staff.login_failed', {
          staffId: safeId,
          detail: { ...error.details },
        });
      }
      throw error;
    }
    const opened = this.sessions.open(staffId);
    deskAudit(store, 'staff.login', { staffId });
    return opened;
  }

  logout(token: string): void {
    const session = this.sessions.peek(token);
    this.dropCapturesOf(session.sessionId);
    this.sessions.close(token);
    deskAudit(this.options.store, 'staff.logout', { staffId: session.staffId });
  }

  session(token: string): StaffSession {
    return this.sessions.peek(token);
  }

  // --- Search and guest card ---------------------------------------------------------------

  /** Waits for an index build in progress, so a search never answers from a stale index. */
  async search(
    token: string,
    query: string,
    limit = 20,
  ): Promise<{ hits: GuestSummary[]; total: number }> {
    const session = this.sessions.touch(token);
    const result = (await this.currentIndex()).search(query, limit);
    deskAudit(this.options.store, 'guest.search', {
      staffId: session.staffId,
      detail: { results: result.total },
    });
    return { total: result.total, hits: result.hits.map((h) => this.summary(h.guest)) };
  }

  guestCard(token: string, guestId: string): GuestCard {
    const session = this.sessions.touch(token);
    const guest = this.requireGuest(guestId);
    deskAudit(this.options.store, 'guest.view', { staffId: session.staffId, subject: guest.id });
    return {
      guest,
      templates: listTemplates(this.options.store, guest.id),
      checkIns: listCheckIns(this.options.store, guest.id),
      history: readAudit(this.options.store, 1000).filter((e) => e.subject === guest.id),
    };
  }

  // --- Consent -------------------------------------------------------------------------------

  /** The guest confirmed the consent screen: recorded with the time and the staff member. */
  grantConsent(token: string, guestId: string, noticeVersion: string): GuestRecord {
    const session = this.sessions.touch(token);
    const store = this.options.store;
    const guest = this.requireGuest(guestId);
    if (guest.revoked) throw new DeskError('guest_revoked', 'This guest’s badge is revoked.');
    return store.write(() => {
      const { guest: saved } = this.storeCall(() =>
        saveGuest(store, { ...guest, consent: 'granted' }, { staffId: session.staffId }),
      );
      deskAudit(store, 'consent.grant', {
        staffId: session.staffId,
        subject: guest.id,
        detail: { noticeVersion, at: store.now() },
      });
      return saved;
    });
  }

  /**
   * Withdrawal: consent becomes `withdrawn` and every face template of the guest is deleted now
   * (tombstones and outbox rows carry the deletion to the hub and from there to every kiosk).
   */
  withdrawConsent(token: string, guestId: string): { templatesRemoved: number } {
    const session = this.sessions.touch(token);
    const store = this.options.store;
    const guest = this.requireGuest(guestId);
    for (const capture of [...this.captures.values()]) {
      if (capture.guestId === guest.id) this.dropCapture(capture);
    }
    return store.write(() => {
      const removed = listTemplates(store, guest.id).length;
      this.storeCall(() =>
        saveGuest(store, { ...guest, consent: 'withdrawn' }, { staffId: session.staffId }),
      );
      // saveGuest deletes the templates when consent changes to withdrawn; this also covers a
      // guest whose consent was already withdrawn but who still had templates from a pull.
      deleteTemplatesOfGuest(store, guest.id, { origin: 'local' });
      deskAudit(store, 'consent.withdraw', {
        staffId: session.staffId,
        subject: guest.id,
        detail: { templatesRemoved: removed },
      });
      return { templatesRemoved: removed };
    });
  }

  // --- Capture -------------------------------------------------------------------------------

  startCapture(token: string, guestId: string): { captureId: string; progress: CaptureProgress } {
    const session = this.sessions.touch(token);
    const guest = this.requireGuest(guestId);
    if (guest.revoked) throw new DeskError('guest_revoked', 'This guest’s badge is revoked.');
    if (guest.consent !== 'granted') {
      throw new DeskError('consent_required', 'The guest must confirm consent before any capture.');
    }
    this.expireCaptures();
    // One capture per session: starting another drops the previous one.
    this.dropCapturesOf(session.sessionId);
    const capture: Capture = {
      id: randomBytes(16).toString('hex'),
      sessionId: session.sessionId,
      staffId: session.staffId,
      guestId: guest.id,
      startedAt: this.clock(),
      pool: [],
      reviewed: null,
    };
    this.captures.set(capture.id, capture);
    deskAudit(this.options.store, 'enrol.start', { staffId: session.staffId, subject: guest.id });
    return { captureId: capture.id, progress: captureProgress(capture.pool, this.policy) };
  }

  /** One camera frame: kept only with exactly one face that passes every quality check. */
  async addFrame(token: string, captureId: string, image: ImageInput): Promise<FrameFeedback> {
    const capture = this.capture(token, captureId);
    let result: DetectionResult;
    try {
      result = await this.options.detect(image);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (
        code === 'corrupt_image' ||
        code === 'unsupported_format' ||
        code === 'empty_input' ||
        code === 'invalid_frame' ||
        code === 'image_too_large'
      ) {
        throw new DeskError('invalid_input', `The camera frame cannot be read (${String(code)}).`);
      }
      throw error;
    }
    // The capture may have been cancelled or expired while the engine worked.
    if (!this.captures.has(capture.id)) {
      throw new DeskError('capture_not_found', 'This capture has ended; start again.');
    }
    const feedback = (
      refusal: FrameFeedback['refusal'],
      reasons: string[],
      box: FrameFeedback['box'],
    ): FrameFeedback => ({
      accepted: refusal === null,
      refusal,
      qualityReasons: reasons,
      box,
      progress: captureProgress(capture.pool, this.policy),
    });
    if (result.faces.length === 0) {
      // In a very dark picture the detector finds nobody: say why, rather than "no face".
      const dark = image.kind === 'rgba' && meanLuma(image.data) < DARK_FRAME_LUMA;
      return feedback('no_face', dark ? ['too_dark'] : [], null);
    }
    if (result.faces.length > 1) return feedback('several_faces', [], null);
    const face = result.faces[0]!;
    if (!passesQuality(face.quality)) {
      return feedback('poor_quality', [...face.quality.reasons], face.box);
    }
    addToPool(
      capture.pool,
      { descriptor: face.descriptor, quality: face.quality, score: face.score },
      this.policy,
    );
    capture.reviewed = null;
    return feedback(null, [], face.box);
  }

  /** The result before saving, with any other guest the new face already matches. */
  review(token: string, captureId: string): CaptureReview {
    const capture = this.capture(token, captureId);
    const progress = captureProgress(capture.pool, this.policy);
    if (!progress.complete) {
      throw new DeskError(
        progress.consistent ? 'capture_incomplete' : 'inconsistent_faces',
        progress.consistent
          ? 'More good frames with a little head movement are needed.'
          : 'The frames do not look like one person; start the capture again.',
        { progress },
      );
    }
    const chosen = selectFrames(capture.pool, this.policy.framesNeeded);
    capture.reviewed = this.lookalikes(capture.guestId, chosen);
    return {
      captureId: capture.id,
      guest: this.summary(this.requireGuest(capture.guestId)),
      progress,
      frames: chosen.map((f) => ({
        yawDeg: f.quality.yawDeg,
        pitchDeg: f.quality.pitchDeg,
        sharpness: f.quality.sharpness,
        brightness: f.quality.brightness,
      })),
      lookalikes: capture.reviewed,
      replaces: listTemplates(this.options.store, capture.guestId).length,
    };
  }

  /**
   * Saves the reviewed frames as the guest's templates, replacing the old ones (re-enrolment)
   * in the same transaction. With look-alikes, staff must confirm they checked both guests.
   */
  save(token: string, captureId: string, confirmLookalikes: boolean): { templates: number } {
    const capture = this.capture(token, captureId);
    if (capture.reviewed === null) this.review(token, captureId);
    const lookalikes = capture.reviewed ?? [];
    if (lookalikes.length > 0 && !confirmLookalikes) {
      throw new DeskError(
        'lookalike_unconfirmed',
        'This face matches another guest: check both first.',
        {
          guestIds: lookalikes.map((l) => l.guest.id),
        },
      );
    }
    const store = this.options.store;
    const guest = this.requireGuest(capture.guestId);
    if (guest.consent !== 'granted') {
      throw new DeskError('consent_required', 'Consent was withdrawn during the capture.');
    }
    const chosen = selectFrames(capture.pool, this.policy.framesNeeded);
    const saved = store.write(() => {
      const replaced = deleteTemplatesOfGuest(store, guest.id, { origin: 'local' });
      for (const frame of chosen) {
        this.storeCall(() =>
          addTemplate(
            store,
            {
              guestId: guest.id,
              descriptor: frame.descriptor,
              quality: Math.max(0, Math.min(1, frame.score)),
              source: 'desk',
              modelId: this.options.modelId,
            },
            { staffId: capture.staffId },
          ),
        );
      }
      if (lookalikes.length > 0) {
        deskAudit(store, 'enrol.lookalike_confirmed', {
          staffId: capture.staffId,
          subject: guest.id,
          detail: { otherGuests: lookalikes.map((l) => l.guest.id) },
        });
      }
      deskAudit(store, 'enrol.save', {
        staffId: capture.staffId,
        subject: guest.id,
        detail: { templates: chosen.length, replaced },
      });
      return chosen.length;
    });
    this.dropCapture(capture);
    return { templates: saved };
  }

  cancelCapture(token: string, captureId: string): void {
    const capture = this.capture(token, captureId);
    this.dropCapture(capture);
    deskAudit(this.options.store, 'enrol.cancel', {
      staffId: capture.staffId,
      subject: capture.guestId,
    });
  }

  // --- Faces, check-in, audit -------------------------------------------------------------------

  /** Removes one template, or all of the guest's templates when templateId is null. */
  removeFace(token: string, guestId: string, templateId: string | null): { removed: number } {
    const session = this.sessions.touch(token);
    const store = this.options.store;
    const guest = this.requireGuest(guestId);
    const templates = listTemplates(store, guest.id);
    if (templates.length === 0)
      throw new DeskError('no_templates', 'This guest has no face stored.');
    return store.write(() => {
      let removed = 0;
      if (templateId === null) {
        removed = deleteTemplatesOfGuest(store, guest.id, { origin: 'local' });
      } else {
        if (!templates.some((t) => t.id === templateId)) {
          throw new DeskError('no_templates', 'This guest has no face with that id.');
        }
        removed = deleteTemplate(store, templateId, { staffId: session.staffId }) ? 1 : 0;
      }
      deskAudit(store, 'face.remove', {
        staffId: session.staffId,
        subject: guest.id,
        detail: { removed, templateId },
      });
      return { removed };
    });
  }

  /**
   * When the face does not work: check in by guest id or registration number, with method
   * `manual` and the staff member, through the same rules as the kiosk (core/checkin).
   */
  manualCheckIn(
    token: string,
    target: { guestId: string } | { registrationId: string },
  ): ManualCheckInResult {
    const session = this.sessions.touch(token);
    const store = this.options.store;
    const guest =
      'guestId' in target
        ? this.requireGuest(target.guestId)
        : getGuestByRegistrationId(store, target.registrationId.trim());
    if (!guest) throw new DeskError('guest_not_found', 'No guest has that registration number.');
    const station = this.options.station();
    const entrance = station.entranceId ?? listEntrances(store)[0]?.id ?? null;
    if (!entrance)
      throw new DeskError('no_entrance', 'The event has no entrance on this desk yet.');
    let answer: CheckInAnswer;
    try {
      answer = checkIn(store, guest.id, {
        method: 'manual',
        entrance,
        kiosk: station.kioskId,
        staffId: session.staffId,
        at: new Date(this.clock()),
      });
    } catch (error) {
      if (error instanceof CheckInRefused) {
        throw new DeskError(
          error.reason === 'unknown_guest' || error.reason === 'guest_deleted'
            ? 'guest_not_found'
            : error.reason === 'unknown_entrance'
              ? 'no_entrance'
              : 'invalid_input',
          error.message,
        );
      }
      throw error;
    }
    // core/checkin audits the check-in itself; the other answers are recorded here.
    if (answer.kind !== 'checked_in') {
      deskAudit(store, 'checkin.manual', {
        staffId: session.staffId,
        subject: guest.id,
        detail: { result: answer.kind },
      });
    }
    return { answer, guest: pickSearchable(guest) };
  }

  auditLog(token: string, limit = 100): AuditView[] {
    const session = this.sessions.touch(token);
    const entries = readAudit(this.options.store, limit);
    deskAudit(this.options.store, 'audit.read', { staffId: session.staffId });
    return entries;
  }

  // --- internals ---------------------------------------------------------------------------------

  /**
   * Builds the search index a page at a time (GuestSearchIndex.buildInSlices): at 120,000
   * guests that is ~3 s of work, and a kiosk in the same process must keep serving frames. Guest
   * changes committed meanwhile are applied once it is done.
   */
  private buildIndex(): Promise<GuestSearchIndex> {
    this.building ??= GuestSearchIndex.buildInSlices((afterId) =>
      this.closed ? [] : listGuestsAfter(this.options.store, afterId, INDEX_PAGE),
    ).then(
      (index) => {
        const pending = this.pendingChanges;
        this.pendingChanges = [];
        this.applyToIndex(index, pending);
        this.index = index;
        this.building = null;
        return index;
      },
      (error: unknown) => {
        this.building = null;
        throw error;
      },
    );
    return this.building;
  }

  private currentIndex(): Promise<GuestSearchIndex> {
    if (this.building) return this.building;
    return this.index ? Promise.resolve(this.index) : this.buildIndex();
  }

  private follow(changes: readonly StoreChange[]): void {
    const guestChanges = changes.filter(isGuestChange);
    if (guestChanges.length === 0) return;
    // A capture in progress for a guest who is gone ends here (its frames are wiped).
    const touched = new Set(guestChanges.map((c) => c.guestId));
    for (const capture of [...this.captures.values()]) {
      if (touched.has(capture.guestId) && !getGuest(this.options.store, capture.guestId)) {
        this.dropCapture(capture);
      }
    }
    if (this.building) {
      this.pendingChanges.push(...guestChanges);
    } else if (guestChanges.length > REBUILD_AFTER_CHANGES) {
      // A roster import or a big pull: one rebuild beats thousands of sorted-list insertions.
      this.buildIndex().catch(() => undefined);
    } else if (this.index) {
      this.applyToIndex(this.index, guestChanges);
    } // else: no index yet (a failed build); the next build reads the store afresh.
  }

  private applyToIndex(index: GuestSearchIndex, changes: readonly GuestChange[]): void {
    for (const change of changes) {
      const guest =
        change.type === 'guest' ? getGuest(this.options.store, change.guestId) : undefined;
      if (guest) index.upsert(guest);
      else index.remove(change.guestId);
    }
  }

  private lookalikes(guestId: string, frames: CaptureFrame[]): Lookalike[] {
    const limit = this.options.lookalikeDistance ?? 0.5;
    const closest = new Map<string, number>();
    for (const frame of frames) {
      const { best, second } = this.options.gallery.nearest(frame.descriptor);
      for (const hit of [best, second]) {
        if (!hit || hit.guestId === guestId || hit.distance >= limit) continue;
        closest.set(hit.guestId, Math.min(closest.get(hit.guestId) ?? Infinity, hit.distance));
      }
    }
    const out: Lookalike[] = [];
    for (const [id, distance] of closest) {
      const guest = this.index?.get(id) ?? getGuest(this.options.store, id);
      if (guest) out.push({ guest: pickSearchable(guest), distance });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }

  private capture(token: string, captureId: string): Capture {
    const session = this.sessions.touch(token);
    this.expireCaptures();
    const capture = CAPTURE_ID.test(captureId) ? this.captures.get(captureId) : undefined;
    if (!capture || capture.sessionId !== session.sessionId) {
      throw new DeskError('capture_not_found', 'This capture has ended; start again.');
    }
    return capture;
  }

  private expireCaptures(): void {
    const ttl = this.options.captureTtlMs ?? 10 * 60_000;
    const now = this.clock();
    for (const capture of [...this.captures.values()]) {
      if (now - capture.startedAt >= ttl) this.dropCapture(capture);
    }
  }

  private dropCapturesOf(sessionId: string): void {
    for (const capture of [...this.captures.values()]) {
      if (capture.sessionId === sessionId) this.dropCapture(capture);
    }
  }

  private dropCapture(capture: Capture): void {
    wipe(capture);
    this.captures.delete(capture.id);
  }

  private requireGuest(guestId: string): GuestRecord {
    const guest = typeof guestId === 'string' ? getGuest(this.options.store, guestId) : null;
    if (!guest) throw new DeskError('guest_not_found', 'No such guest.');
    return guest;
  }

  private summary(guest: SearchableGuest): GuestSummary {
    const store = this.options.store;
    return {
      ...pickSearchable(guest),
      templateCount: listTemplates(store, guest.id).length,
      checkedIn: firstCheckInOf(store, guest.id) !== null,
    };
  }

  /** Store refusals become desk errors the screens can explain. */
  private storeCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof StoreError && error.code === 'conflict') {
        throw new DeskError('consent_required', error.message);
      }
      if (error instanceof StoreError && error.code === 'invalid') {
        throw new DeskError('invalid_input', error.message);
      }
      throw error;
    }
  }
}

/** Mean luma (0..255) below which an empty frame is reported as too dark (the engine's face minimum). */
const DARK_FRAME_LUMA = 50;

/** Mean luma of an RGBA frame, from every 16th pixel (enough for a yes/no on darkness). */
export function meanLuma(rgba: Uint8Array | Uint8ClampedArray): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 2 < rgba.length; i += 64) {
    sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

function pickSearchable(guest: SearchableGuest): SearchableGuest {
  return {
    id: guest.id,
    registrationId: guest.registrationId,
    name: guest.name,
    nameLatin: guest.nameLatin,
    organisation: guest.organisation,
    category: guest.category,
    consent: guest.consent,
    revoked: guest.revoked,
  };
}

/** Captured descriptors are biometric data: zero them when the capture ends. */
function wipe(capture: Capture): void {
  for (const frame of capture.pool) frame.descriptor.fill(0);
  capture.pool.length = 0;
  capture.reviewed = null;
}
