// Desk e2e set-up: the UI built with the desk page, a desk (store + matcher + Desk + SyncClient)
// served over real HTTP on 127.0.0.1, and desk camera videos made from the sample photos.
//
// The kiosk's transport (core/transport/http-server.ts) routes KioskApi methods only until the
// one-line staff routing lands there (see the desk report); until then this harness serves the
// staff page with the same rules: per-launch token, own Host only, the same request codec.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import react from '@vitejs/plugin-react';
import sharp from 'sharp';
import { build } from 'vite';
import type { StaffHandlers } from '../../core/desk/api';
import type { Desk, DeskOptions } from '../../core/desk/desk';
import { dispatchStaff } from '../../core/desk/dispatch';
import { openDeskFor } from '../../core/desk/runtime';
import { PinVault } from '../../core/desk/pin';
import type { FaceEngine } from '../../core/face/engine';
import { createMatcher, type FaceMatcher } from '../../core/face/matcher';
import { bindGallery, openStore, type Store } from '../../core/store';
import { SyncClient } from '../../core/sync';
import { decodeRequest } from '../../core/transport/codec';
import {
  SAMPLE_FACES,
  regionAround,
  samplePhoto,
  type Rect,
  type SampleFace,
  type Shot,
} from '../../scripts/fake-camera';

export const ROOT = join(import.meta.dirname, '../..');

/** Builds the kiosk page and the desk page (renderer/desk/index.html) into `outDir`. */
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
      rollupOptions: {
        input: {
          index: join(ROOT, 'renderer/index.html'),
          desk: join(ROOT, 'renderer/desk/index.html'),
        },
      },
    },
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface DeskServer {
  /** The desk page, with the per-launch token in the fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export async function serveDesk(staff: StaffHandlers, uiDir: string): Promise<DeskServer> {
  const token = randomBytes(32).toString('base64url');
  let host = '';
  const server = createServer((req, res) => {
    void (async () => {
      if (req.headers.host !== host) return res.writeHead(421).end();
      const url = new URL(req.url ?? '/', 'http://desk.invalid');
      const api = /^\/api\/([A-Za-z]{1,64})$/.exec(url.pathname);
      if (api && req.method === 'POST') {
        const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        const ok =
          given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
        const chunks: Buffer[] = [];
        for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
        const outcome = ok
          ? await dispatchStaff(staff, api[1], decodeRequest(Buffer.concat(chunks)))
          : { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } };
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(outcome));
      }
      const relative =
        url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = normalize(join(uiDir, relative));
      if (!file.startsWith(uiDir + sep)) return res.writeHead(404).end();
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;
  return {
    url: `${origin}/desk/index.html?mode=desk#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DeskInstance {
  store: Store;
  matcher: FaceMatcher;
  desk: Desk;
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
  const sync = new SyncClient({ store, hubUrl: options.hubUrl, token: options.hubToken });
  return {
    store,
    matcher,
    desk,
    staff: staffHandlers,
    sync,
    async close() {
      await sync.stop();
      desk.close();
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
