// The Electron shell: one locked-down kiosk window on the built UI, and the KioskApi handler map
// on IPC (one channel per method, every input validated by dispatch() against its zod schema),
// plus the staff desk's StaffApi on its own channels (validated by dispatchStaff(); every method
// but staffStatus/staffLogin needs a staff session from the PIN).
// Run by scripts/start.ts through a small ESM launcher that registers tsx, so the face engine's
// worker threads load from the TypeScript sources exactly as in Node:
//   electron dist/electron/launch.mjs --data DIR --entrance ID [--desk]
import { app, BrowserWindow, ipcMain, Menu, protocol, session, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch, ipcChannel, kioskMethodNames } from '../core/api';
import { staffIpcChannel, staffMethodNames } from '../core/desk/api';
import { dispatchStaff } from '../core/desk/dispatch';
import { openKioskRuntime, type KioskRuntime } from '../core/kiosk/runtime';
import { resolveDataDir } from '../core/store/data-dir';
import { CONTENT_SECURITY_POLICY } from '../core/transport/csp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const UI_DIR = join(ROOT, 'dist/renderer');
const PRELOAD = join(ROOT, 'dist/electron/preload.cjs');
const SCHEME = 'app';
const ORIGIN = `${SCHEME}://kiosk`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function flag(name: string): string | undefined {
  const argv = process.argv;
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

// app:// is a standard, secure origin: 'self' in the CSP means exactly the kiosk's own files.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another kiosk window is already running on this machine: leave it alone.
  app.quit();
}

let runtime: KioskRuntime | null = null;
let win: BrowserWindow | null = null;

function isKioskPage(contents: WebContents | null | undefined): boolean {
  return (
    !!contents &&
    !!win &&
    contents === win.webContents &&
    contents.getURL().startsWith(`${ORIGIN}/`)
  );
}

function serveUi(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'kiosk') return new Response('not found', { status: 404 });
    const relative =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(UI_DIR, relative));
    if (!file.startsWith(UI_DIR + sep)) return new Response('not found', { status: 404 });
    // Read from disk directly (not net.fetch): the session below refuses every non-app URL.
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  // Only the camera, only for the kiosk page; everything else is refused.
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const videoOnly =
      permission === 'media' &&
      'mediaTypes' in details &&
      (details.mediaTypes ?? []).length > 0 &&
      (details.mediaTypes ?? []).every((t) => t === 'video');
    callback(videoOnly && isKioskPage(contents));
  });
  ses.setPermissionCheckHandler(
    (contents, permission, origin) =>
      permission === 'media' && origin === ORIGIN && isKioskPage(contents),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    // No network at all from the page: only the app's own files and camera/blob URLs.
    const allowed = /^(app|blob|data|devtools):/.test(details.url);
    callback({ cancel: !allowed });
  });
}

function fromKioskPage(event: Electron.IpcMainInvokeEvent): boolean {
  return isKioskPage(event.sender) && event.senderFrame?.url.startsWith(`${ORIGIN}/`) === true;
}

const NOT_THE_KIOSK_PAGE = {
  ok: false,
  error: { code: 'unauthorized', message: 'not the kiosk page' },
} as const;

function registerIpc(current: KioskRuntime): void {
  const onError = (m: string, error: unknown) =>
    console.error(`kiosk: ${m} failed:`, error instanceof Error ? error.message : error);
  for (const method of kioskMethodNames) {
    ipcMain.handle(ipcChannel(method), (event, input: unknown) =>
      fromKioskPage(event)
        ? dispatch(current.handlers, method, input, onError)
        : NOT_THE_KIOSK_PAGE,
    );
  }
  for (const method of staffMethodNames) {
    ipcMain.handle(staffIpcChannel(method), (event, input: unknown) =>
      fromKioskPage(event)
        ? dispatchStaff(current.staffHandlers, method, input, onError)
        : NOT_THE_KIOSK_PAGE,
    );
  }
}

function openWindow(desk: boolean): BrowserWindow {
  const window = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#0b1b2b',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: !app.isPackaged && process.env.KIOSK_DEVTOOLS === '1',
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('render-process-gone', (_event, details) => {
    console.error(`kiosk: renderer gone (${details.reason}); reloading`);
    setTimeout(() => !window.isDestroyed() && contents.reload(), 1000);
  });
  contents.on('unresponsive', () => !window.isDestroyed() && contents.reload());
  window.once('ready-to-show', () => window.show());
  // --desk: the enrolment desk (staff mode that stays on the PIN screen between staff members).
  void window.loadURL(`${ORIGIN}/index.html${desk ? '?mode=desk' : ''}`);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
});

app.on('second-instance', () => {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (event) => {
  if (!runtime) return;
  const closing = runtime;
  runtime = null;
  event.preventDefault();
  void closing.close().finally(() => app.quit());
});

async function main(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(null);
  const dataDir = resolveDataDir(process.argv.slice(1), process.env, process.platform);
  const resultMs = Number(process.env.KIOSK_RESULT_MS);
  runtime = await openKioskRuntime({
    dataDir,
    entranceId: flag('entrance') ?? null,
    ...(Number.isInteger(resultMs) && resultMs >= 1000 ? { kiosk: { resultMs } } : {}),
  });
  serveUi();
  lockDownSession();
  registerIpc(runtime);
  win = openWindow(process.argv.includes('--desk'));
}

if (app.hasSingleInstanceLock()) {
  main().catch((error: unknown) => {
    console.error('kiosk: could not start:', error instanceof Error ? error.message : error);
    app.exit(1);
  });
}
