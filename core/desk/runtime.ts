// The desk beside a kiosk runtime: one call to open it on the runtime's store, matcher and engine,
// so core/kiosk/runtime.ts (or a desk-only runtime for `--desk`) needs one line to add staff mode.
import type { FaceEngine } from '../face/engine';
import type { GalleryProbe } from './desk';
import { Desk, type DeskOptions } from './desk';
import type { StaffHandlers } from './api';
import { createStaffHandlers } from './handlers';
import { pinFileIn } from './install';
import type { Store } from '../store';

/** Model id stored with each template: face-api's recognition net of the pinned package. */
export const DESK_MODEL_ID = 'face-api-1.7.15/face_recognition_model';

export interface DeskRuntime {
  desk: Desk;
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
  const desk = new Desk({
    store: options.store,
    gallery: options.matcher,
    detect: (image) => options.engine.detect(image),
    pinFile: pinFileIn(options.dataDir),
    station: () => ({ kioskId: options.kioskId, entranceId: options.entranceId }),
    modelId: DESK_MODEL_ID,
    ...options.overrides,
  });
  return { desk, staffHandlers: createStaffHandlers(desk), close: () => desk.close() };
}
