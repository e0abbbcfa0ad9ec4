// Shared set-up of the kiosk browser tests: the built UI, one face engine, a seeded demo database
// copied per test (a real SQLite file in a temp dir), fake camera videos made from real photos,
// and the kiosk served in browser mode (real HTTP on 127.0.0.1) or in Electron when installed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { _electron, chromium, type Browser, type Page } from 'playwright-core';
import { createFaceEngine, type FaceEngine } from '../../core/face/engine';
import { openKioskRuntime, type KioskRuntime } from '../../core/kiosk/runtime';
import { databasePath, openStore } from '../../core/store';
import { startKioskHttpServer, type KioskHttpServer } from '../../core/transport/http-server';
import { seedDemo } from '../../scripts/demo';
import { makeY4m, type Shot } from '../../scripts/fake-camera';
import { prepareElectron } from '../../scripts/start';

export const ROOT = resolve(import.meta.dirname, '../..');
export const UI_DIR = join(ROOT, 'dist/renderer');
// Test runs write screenshots under test-output/ so `npm test` leaves the tree clean;
// `npm run screenshots` points this at docs/screenshots/ to refresh the README's pictures.
export const SCREENSHOTS = resolve(ROOT, process.env.SCREENSHOTS_DIR ?? 'test-output/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };

/** Flags every test browser gets: quiet, no GPU, nothing phoning home. */
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function cameraFlags(y4m: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`,
  ];
}

export function buildUi(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

/** Electron needs a display (X11 or Wayland) on Linux; CI without one skips it, saying so. */
export function electronAvailable(): { ok: boolean; path: string | null; reason: string } {
  const found = electronBinary();
  if (!found.path) return { ok: false, ...found };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return {
      ok: false,
      path: found.path,
      reason: 'Electron is installed but there is no display (run under xvfb-run)',
    };
  }
  return { ok: true, ...found };
}

/** The Electron binary when it has been fetched (`node node_modules/electron/install.js`). */
export function electronBinary(): { path: string | null; reason: string } {
  try {
    const require = createRequire(import.meta.url);
    const path = require('electron') as unknown as string;
    if (typeof path === 'string' && existsSync(path)) return { path, reason: '' };
    return { path: null, reason: 'the electron package has no binary' };
  } catch (error) {
    return {
      path: null,
      reason: `Electron is not installed here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run \`node node_modules/electron/install.js\` to fetch it`,
    };
  }
}

export interface Suite {
  dir: string;
  engine: FaceEngine;
  /** A seeded database to copy for each test. */
  seededDb: string;
  guestIds: Map<string, string>;
  video(name: string, shots: Shot[]): Promise<string>;
  close(): Promise<void>;
}

export async function openSuite(): Promise<Suite> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  const engine = await createFaceEngine({ backend: 'wasm' });
  const seedDir = join(dir, 'seed');
  const store = openStore(seedDir);
  let guestIds: Map<string, string>;
  try {
    guestIds = await seedDemo(store, engine);
  } finally {
    store.close();
  }
  const videos = new Map<string, Promise<string>>();
  return {
    dir,
    engine,
    seededDb: databasePath(seedDir),
    guestIds,
    video(name, shots) {
      let made = videos.get(name);
      if (!made) {
        const file = join(dir, `${name}.y4m`);
        made = makeY4m(shots, file).then(() => file);
        videos.set(name, made);
      }
      return made;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface KioskUnderTest {
  page: Page;
  /** The in-process kiosk core (browser mode); Electron runs its own in its main process. */
  runtime: KioskRuntime | null;
  dbFile: string;
  /** Check-ins in the SQLite file, read through a separate read-only connection. */
  checkIns(): { guest_id: string; entrance_id: string; method: string }[];
  close(): Promise<void>;
}

let counter = 0;

/** A kiosk on a fresh copy of the seeded database, in Chromium, watching `y4m` (or no camera). */
export async function launchKiosk(
  suite: Suite,
  options: { y4m: string | null; denyCamera?: boolean; resultMs?: number },
): Promise<KioskUnderTest> {
  const dataDir = join(suite.dir, `kiosk-${++counter}`);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = databasePath(dataDir);
  copyFileSync(suite.seededDb, dbFile);
  const runtime = await openKioskRuntime({
    dataDir,
    entranceId: 'north',
    engine: suite.engine,
    kiosk: { resultMs: options.resultMs ?? 2500 },
  });
  let server: KioskHttpServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startKioskHttpServer({ handlers: runtime.handlers, uiDir: UI_DIR });
    const args = [...BASE_FLAGS, `--window-size=${VIEWPORT.width},${VIEWPORT.height}`];
    if (options.y4m) {
      args.push(
        ...(options.denyCamera
          ? [
              '--use-fake-device-for-media-stream',
              `--use-file-for-fake-video-capture=${options.y4m}`,
              '--deny-permission-prompts',
            ]
          : cameraFlags(options.y4m)),
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args, headless: true });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(server.url);
    const srv = server;
    const br = browser;
    return {
      page,
      runtime,
      dbFile,
      checkIns: () => readCheckIns(dbFile),
      async close() {
        await br.close();
        await srv.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.close();
    await runtime.close();
    throw error;
  }
}

function readCheckIns(dbFile: string) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT guest_id, entrance_id, method FROM check_in ORDER BY occurred_at')
      .all() as { guest_id: string; entrance_id: string; method: string }[];
  } finally {
    db.close();
  }
}

/** The same kiosk as the Electron build: electron/main.ts in its locked-down window. */
export async function launchElectronKiosk(
  suite: Suite,
  options: { y4m: string | null; denyCamera?: boolean; resultMs?: number },
): Promise<KioskUnderTest> {
  const { path } = electronAvailable();
  if (!path) throw new Error('Electron is not available');
  const dataDir = join(suite.dir, `electron-${++counter}`);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = databasePath(dataDir);
  copyFileSync(suite.seededDb, dbFile);
  const launcher = await prepareElectron();
  const app = await _electron.launch({
    executablePath: path,
    args: [
      ...BASE_FLAGS,
      ...(options.y4m ? cameraFlags(options.y4m) : []),
      launcher,
      '--data',
      dataDir,
      '--entrance',
      'north',
    ],
    env: { ...process.env, KIOSK_RESULT_MS: String(options.resultMs ?? 2500) } as Record<
      string,
      string
    >,
  });
  const page = await app.firstWindow();
  await page.setViewportSize(VIEWPORT).catch(() => {});
  return {
    page,
    runtime: null,
    dbFile,
    checkIns: () => readCheckIns(dbFile),
    async close() {
      await app.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
