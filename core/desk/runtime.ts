// The desk beside a kiosk runtime: one call to open it on the runtime's store, matcher and engine,
// so core/kiosk/runtime.ts (or a desk-only runtime for `--desk`) needs one line to add staff mode.
// The Desk is made on first use (first staff call, or `desk` read): its search index over the
// whole guest list takes seconds for a big event, and the kiosk must not wait for it at start-up.
import type { FaceEngine } from '../face/engine';
import type { GalleryProbe } from './desk';
import { Desk, type DeskOptions } from './desk';
import { staffMethodNames, type StaffHandlers, type StaffMethodName } from './api';
import { createStaffHandlers } from './handlers';
import { pinFileIn } from './install';
import type { Store } from '../store';

/** Model id stored with each template: face-api's recognition net of the pinned package. */
export const DESK_MODEL_ID = 'face-api-1.7.15/face_recognition_model';

export interface DeskRuntime {
  /** The desk service; reading it opens it (builds the guest search index) if not yet open. */
  readonly desk: Desk;
  /** Whether the desk has been opened yet (no staff call so far, `desk` never read). */
  readonly opened: boolean;
  staffHandlers: StaffHandlers;
  close(): void;
}

export function openDeskFor(options: {
  store: Store;
  matcher: GalleryProbe;
  engine: Pick<FaceEngine, 'detect'>;
  dataDir: string;
  kioskId: string;
  entranceId: string | null;
  overrides?: Partial<DeskOptions>;
}): DeskRuntime {
  let opened: { desk: Desk; handlers: StaffHandlers } | null = null;
  let closed = false;
  const open = () => {
    if (closed) throw new Error('the desk is closed');
    if (!opened) {
      const desk = new Desk({
        store: options.store,
        gallery: options.matcher,
        detect: (image) => options.engine.detect(image),
        pinFile: pinFileIn(options.dataDir),
        station: () => ({ kioskId: options.kioskId, entranceId: options.entranceId }),
        modelId: DESK_MODEL_ID,
        ...options.overrides,
      });
      opened = { desk, handlers: createStaffHandlers(desk) };
    }
    return opened;
  };
  // Same methods as createStaffHandlers, each opening the desk on its first call.
  const staffHandlers = Object.fromEntries(
    staffMethodNames.map((method: StaffMethodName) => [
      method,
      (input: unknown) => (open().handlers[method] as (input: unknown) => Promise<unknown>)(input),
    ]),
  ) as StaffHandlers;
  return {
    get desk() {
      return open().desk;
    },
    get opened() {
      return opened !== null;
    },
    staffHandlers,
    close() {
      closed = true;
      opened?.desk.close();
      opened = null;
    },
  };
}
