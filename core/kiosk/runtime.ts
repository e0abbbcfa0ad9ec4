// Everything a kiosk process needs, opened in order and closed in reverse: the store (SQLite in
// the data folder), the matcher's gallery bound to it, the face engine, the handler map, and the
// staff desk beside it (opened on the first staff call, so it costs nothing at start-up).
import { randomBytes } from 'node:crypto';
import { createFaceEngine, type FaceEngine, type FaceEngineOptions } from '../face/engine';
import { openDeskFor } from '../desk/runtime';
import type { StaffHandlers } from '../desk/api';
import { createMatcher, type FaceMatcher } from '../face/matcher';
import { getEntrance, listEntrances } from '../store/event';
import { bindGallery } from '../store/gallery';
import { getSetting, setSetting } from '../store/settings';
import { openStore, type Store, type StoreOptions } from '../store/store';
import type { KioskHandlers } from '../api';
import { createKioskHandlers, type KioskDeps } from './handlers';

export interface KioskRuntimeOptions {
  dataDir: string;
  /** The entrance this kiosk stands at; default: the saved one, else the event's first. */
  entranceId?: string | null;
  /** Share one engine between kiosks (tests, benchmarks); otherwise one is created and owned. */
  engine?: FaceEngine;
  engineOptions?: FaceEngineOptions;
  store?: StoreOptions;
  kiosk?: Omit<KioskDeps, 'engine' | 'matcher' | 'store' | 'kioskId' | 'entranceId'>;
}

export interface KioskRuntime {
  /** The public kiosk's methods only: no staff method is in this map. */
  handlers: KioskHandlers;
  /** Staff mode (enrolment desk): a separate map, every call but status/login needs the PIN. */
  staffHandlers: StaffHandlers;
  store: Store;
  matcher: FaceMatcher;
  engine: FaceEngine;
  kioskId: string;
  entranceId: string | null;
  close(): Promise<void>;
}

const KIOSK_ID_SETTING = 'kiosk.id';
const ENTRANCE_SETTING = 'kiosk.entrance';

/** This kiosk's id: made once, kept in its database (check-ins carry it to the hub). */
function kioskIdOf(store: Store): string {
  const saved = getSetting<string>(store, KIOSK_ID_SETTING);
  if (typeof saved === 'string' && saved) return saved;
  const id = `kiosk-${randomBytes(6).toString('hex')}`;
  setSetting(store, KIOSK_ID_SETTING, id);
  return id;
}

function entranceOf(store: Store, wanted: string | null | undefined): string | null {
  if (wanted) {
    if (getEntrance(store, wanted)) setSetting(store, ENTRANCE_SETTING, wanted);
    return wanted;
  }
  const saved = getSetting<string>(store, ENTRANCE_SETTING);
  if (typeof saved === 'string' && getEntrance(store, saved)) return saved;
  return listEntrances(store)[0]?.id ?? null;
}

export async function openKioskRuntime(options: KioskRuntimeOptions): Promise<KioskRuntime> {
  const store = openStore(options.dataDir, options.store);
  let ownEngine: FaceEngine | null = null;
  let unbind = () => {};
  try {
    const matcher = createMatcher();
    unbind = bindGallery(store, matcher).unbind;
    const kioskId = kioskIdOf(store);
    const entranceId = entranceOf(store, options.entranceId);
    const engine = options.engine ?? (ownEngine = await createFaceEngine(options.engineOptions));
    const handlers = createKioskHandlers({
      ...options.kiosk,
      engine,
      matcher,
      store,
      kioskId,
      entranceId,
    });
    const desk = openDeskFor({
      store,
      matcher,
      engine,
      dataDir: options.dataDir,
      kioskId,
      entranceId,
    });
    return {
      handlers,
      staffHandlers: desk.staffHandlers,
      store,
      matcher,
      engine,
      kioskId,
      entranceId,
      async close() {
        desk.close();
        handlers.close();
        unbind();
        if (ownEngine) await ownEngine.close();
        store.close();
      },
    };
  } catch (error) {
    unbind();
    if (ownEngine) await ownEngine.close();
    store.close();
    throw error;
  }
}
