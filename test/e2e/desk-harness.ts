// Desk e2e set-up: the UI built as the product builds it, a desk (store + matcher + Desk +
// SyncClient) served by the kiosk's own HTTP transport (core/transport/http-server.ts, with its
// staff handlers) on 127.0.0.1, and desk camera videos made from the sample photos.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import sharp from 'sharp';
import { build } from 'vite';
import type { KioskHandlers } from '../../core/api';
import type { StaffHandlers } from '../../core/desk/api';
import type { Desk, DeskOptions } from '../../core/desk/desk';
import { openDeskFor } from '../../core/desk/runtime';
import { PinVault } from '../../core/desk/pin';
import type { FaceEngine } from '../../core/face/engine';
import { createMatcher, type FaceMatcher } from '../../core/face/matcher';
import { createKioskHandlers } from '../../core/kiosk/handlers';
import { bindGallery, openStore, type Store } from '../../core/store';
import { SyncClient } from '../../core/sync';
import { startKioskHttpServer, type KioskHttpServer } from '../../core/transport/http-server';
import {
  SAMPLE_FACES,
  regionAround,
  samplePhoto,
  type Rect,
  type SampleFace,
  type Shot,
} from '../../scripts/fake-camera';
import { deskUrl } from '../../scripts/start';

export const ROOT = join(import.meta.dirname, '../..');

/** Builds the kiosk UI (renderer/index.html, staff mode included) into `outDir`, as vite.config.ts does. */
export async function buildDeskUi(outDir: string): Promise<void> {
  await build({
    root: join(ROOT, 'renderer'),
    base: './',
    configFile: false,
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  });
}

export interface DeskServer {
  /** The desk page (what `npm start -- --desk` opens), per-launch token in the fragment. */
  url: string;
  origin: string;
  token: string;
  server: KioskHttpServer;
  close(): Promise<void>;
}

/** The product's transport: the desk machine's kiosk handlers and its staff handlers. */
export async function serveDesk(
  instance: Pick<DeskInstance, 'handlers' | 'staff'>,
  uiDir: string,
): Promise<DeskServer> {
  const server = await startKioskHttpServer({
    handlers: instance.handlers,
    staffHandlers: instance.staff,
    uiDir,
  });
  return {
    url: deskUrl(server),
    origin: server.origin,
    token: server.token,
    server,
    close: () => server.close(),
  };
}

export interface DeskInstance {
  store: Store;
  matcher: FaceMatcher;
  desk: Desk;
  /** The desk machine's own kiosk methods (status, frames…), served beside the staff ones. */
  handlers: KioskHandlers;
  staff: StaffHandlers;
  sync: SyncClient;
  close(): Promise<void>;
}

export function openDesk(options: {
  dataDir: string;
  engine: FaceEngine;
  hubUrl: string;
  hubToken: string;
  clock: () => number;
  desk?: Partial<DeskOptions>;
}): DeskInstance {
  mkdirSync(options.dataDir, { recursive: true });
  const store = openStore(options.dataDir, { clock: () => new Date(options.clock()) });
  const matcher = createMatcher();
  const { unbind } = bindGallery(store, matcher);
  const pinFile = join(options.dataDir, 'staff-pin.json');
  const { desk, staffHandlers } = openDeskFor({
    store,
    matcher,
    engine: options.engine,
    dataDir: options.dataDir,
    kioskId: 'desk-1',
    entranceId: null,
    overrides: {
      pinVault: new PinVault(pinFile, options.clock, {
        maxTries: 3,
        lockMs: 5 * 60_000,
        maxLockMs: 3_600_000,
      }),
      clock: options.clock,
      ...options.desk,
    },
  });
  const handlers = createKioskHandlers({
    engine: options.engine,
    matcher,
    store,
    kioskId: 'desk-1',
    entranceId: null,
  });
  const sync = new SyncClient({ store, hubUrl: options.hubUrl, token: options.hubToken });
  return {
    store,
    matcher,
    desk,
    handlers,
    staff: staffHandlers,
    sync,
    async close() {
      await sync.stop();
      desk.close();
      handlers.close();
      unbind();
      store.close();
    },
  };
}

/** A photo of one sample person, mirrored (the same person, head turned the other way). */
export async function mirroredPhoto(
  face: SampleFace,
  out: string,
): Promise<{ photo: string; box: Rect }> {
  const { photo, box } = SAMPLE_FACES[face];
  const meta = await sharp(samplePhoto(photo)).metadata();
  await sharp(samplePhoto(photo)).flop().jpeg({ quality: 92 }).toFile(out);
  return { photo: out, box: { ...box, x: meta.width! - box.x - box.width } };
}

/** A person at the desk camera: the photo around their face, drifting slightly. */
export function deskShot(
  photo: string,
  box: { x: number; y: number; width: number; height: number },
  frames: number,
  extra: Partial<Shot> = {},
): Shot {
  return {
    photo,
    crop: regionAround(box, 0.42, 4 / 3),
    drift: { dx: 0.02, dy: 0.01, zoom: 1.04 },
    frames,
    ...extra,
  };
}
