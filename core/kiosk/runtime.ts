// Everything a kiosk process needs, opened in order and closed in reverse: the store (SQLite in
// the data folder), the matcher's gallery bound to it, the face engine, the handler map, and the
// staff desk beside it (opened on the first staff call, so it costs nothing at start-up), and the
// sync client when this kiosk is paired with a hub (it runs in the background until close()).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createFaceEngine, type FaceEngine, type FaceEngineOptions } from '../face/engine';
import { openDeskFor } from '../desk/runtime';
import type { StaffHandlers } from '../desk/api';
import { createMatcher, type FaceMatcher } from '../face/matcher';
import { getEntrance, listEntrances } from '../store/event';
import { bindGallery } from '../store/gallery';
import { getSetting, setSetting } from '../store/settings';
import { openStore, type Store, type StoreOptions } from '../store/store';
import { outboxSize } from '../store/outbox';
import {
  getHubLink,
  pairWithHub,
  SyncClient,
  SyncError,
  type HubLink,
  type SyncClientOptions,
} from '../sync';
import type { SyncState } from '../sync';
import type { KioskHandlers, SyncView } from '../api';
import { createKioskHandlers, type KioskDeps } from './handlers';

export interface KioskRuntimeOptions {
  dataDir: string;
  /** The entrance this kiosk stands at; default: the saved one, else the event's first. */
  entranceId?: string | null;
  /** Share one engine between kiosks (tests, benchmarks); otherwise one is created and owned. */
  engine?: FaceEngine;
  engineOptions?: FaceEngineOptions;
  store?: StoreOptions;
  kiosk?: Omit<KioskDeps, 'engine' | 'matcher' | 'store' | 'kioskId' | 'entranceId' | 'sync'>;
  /**
   * Pair with a hub first, with a one-time code from the organiser. The link is kept in the
   * store, so later starts sync without it. Pairing again replaces the link.
   */
  pair?: {
    hubUrl: string;
    code: string;
    name?: string;
    /** The hub certificate's SHA-256 fingerprint, for a hub with a self-signed certificate. */
    fingerprint?: string | null;
    allowInsecureHttp?: boolean;
  };
  /** Sync client tuning (tests); false: do not sync even when paired. */
  sync?: Omit<SyncClientOptions, 'store' | 'hubUrl' | 'token'> | false;
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
  /** The hub this kiosk is paired with, null when it is not. */
  hubLink: HubLink | null;
  /** The background sync, running while the runtime is open; null when not paired. */
  sync: SyncClient | null;
  /** Stops sync (waiting for a cycle in progress), then closes the rest in reverse order. */
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

/**
 * The entrance given, else the saved one, else the one the kiosk was paired for (its event may
 * arrive only with the first pull), else the event's first.
 */
function entranceOf(
  store: Store,
  wanted: string | null | undefined,
  pairedFor: string | null,
): string | null {
  if (wanted) {
    if (getEntrance(store, wanted)) setSetting(store, ENTRANCE_SETTING, wanted);
    return wanted;
  }
  const saved = getSetting<string>(store, ENTRANCE_SETTING);
  if (typeof saved === 'string' && getEntrance(store, saved)) return saved;
  return pairedFor ?? listEntrances(store)[0]?.id ?? null;
}

/** What the status shows staff about sync: the client's state reduced to what they act on. */
export function syncViewOf(state: SyncState): SyncView {
  const view = { lastSyncAt: state.lastSyncAt, waiting: state.waiting };
  switch (state.status) {
    case 'unauthorized':
    case 'error':
      return { state: 'error', ...view };
    case 'offline':
      return { state: 'offline', ...view };
    default:
      // idle, syncing, stopped: the last exchange decides; none yet means still connecting.
      return { state: state.online ? 'online' : 'connecting', ...view };
  }
}

export async function openKioskRuntime(options: KioskRuntimeOptions): Promise<KioskRuntime> {
  const store = openStore(options.dataDir, options.store);
  let ownEngine: FaceEngine | null = null;
  let unbind = () => {};
  let sync: SyncClient | null = null;
  try {
    const kioskId = kioskIdOf(store);
    // Pair before the slow part (the engine), so a wrong code fails fast.
    const hubLink = options.pair
      ? await pairWithHub(store, {
          hubUrl: options.pair.hubUrl,
          code: options.pair.code,
          name: options.pair.name ?? `${hostname()} ${kioskId}`,
          fingerprint: options.pair.fingerprint ?? null,
          allowInsecureHttp: options.pair.allowInsecureHttp === true,
        })
      : getHubLink(store);
    const matcher = createMatcher();
    unbind = bindGallery(store, matcher).unbind;
    const entranceId = entranceOf(store, options.entranceId, hubLink?.entranceId ?? null);
    const engine = options.engine ?? (ownEngine = await createFaceEngine(options.engineOptions));
    // A link the sync client refuses (plain http to another machine, kept from before that was
    // refused) must not stop the kiosk: it checks guests in offline and says sync is failing.
    let syncRefused = false;
    if (hubLink && options.sync !== false) {
      try {
        sync = new SyncClient({
          ...options.sync,
          store,
          hubUrl: hubLink.hubUrl,
          token: hubLink.token,
          pinnedCertificatePem: hubLink.tls?.pem ?? null,
          allowInsecureHttp: hubLink.allowInsecureHttp === true,
        });
      } catch (error) {
        if (!(error instanceof SyncError)) throw error;
        syncRefused = true;
        console.error(`kiosk: not syncing with ${hubLink.hubUrl}: ${error.message}`);
      }
    }
    const client = sync;
    const handlers = createKioskHandlers({
      ...options.kiosk,
      engine,
      matcher,
      store,
      kioskId,
      entranceId,
      sync: () =>
        client
          ? syncViewOf(client.getState())
          : {
              state: syncRefused ? 'error' : 'unpaired',
              lastSyncAt: null,
              waiting: outboxSize(store),
            },
    });
    const desk = openDeskFor({
      store,
      matcher,
      engine,
      dataDir: options.dataDir,
      kioskId,
      entranceId,
    });
    sync?.start();
    return {
      handlers,
      staffHandlers: desk.staffHandlers,
      store,
      matcher,
      engine,
      kioskId,
      entranceId,
      hubLink,
      sync,
      async close() {
        await sync?.stop();
        desk.close();
        handlers.close();
        unbind();
        if (ownEngine) await ownEngine.close();
        store.close();
      },
    };
  } catch (error) {
    await sync?.stop();
    unbind();
    if (ownEngine) await ownEngine.close();
    store.close();
    throw error;
  }
}
