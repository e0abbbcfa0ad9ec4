// `npm start [-- --data DIR] [--entrance ID] [--port N] [--browser] [--desk]`: run the kiosk
// (--desk: open the staff enrolment desk instead of the kiosk screen).
// Electron when its binary is installed; otherwise browser mode: the handler map over HTTP on
// 127.0.0.1 with a per-launch token, opened in Debian Chromium in kiosk/app mode when it exists,
// else the URL is printed (open it in any browser on this machine).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  openKioskRuntime,
  type KioskRuntime,
  type KioskRuntimeOptions,
} from '../core/kiosk/runtime';
import { DataDirError, resolveDataDir } from '../core/store/data-dir';
import { startKioskHttpServer, type KioskHttpServer } from '../core/transport/http-server';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const UI_DIR = join(ROOT, 'dist/renderer');
const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export class StartError extends Error {}

export interface StartFlags {
  dataDir: string;
  entranceId: string | null;
  port: number;
  /** Force browser mode even where Electron is installed. */
  browser: boolean;
  /** Open the enrolment desk (staff mode, PIN first) instead of the kiosk screen. */
  desk: boolean;
}

export function parseFlags(argv: readonly string[], env = process.env): StartFlags {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new StartError(`--${name} needs a value`);
      return next;
    }
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const known = new Set(['--data', '--entrance', '--port', '--browser', '--desk']);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg.split('=')[0]!)) {
      throw new StartError(
        `unknown flag ${arg} (flags: --data DIR, --entrance ID, --port N, --browser, --desk)`,
      );
    }
  }
  const portText = value('port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartError(`--port must be a whole number from 0 to 65535, got ${portText}`);
  }
  const entranceId = value('entrance') ?? null;
  if (entranceId !== null && !/^[A-Za-z0-9._:-]{1,64}$/.test(entranceId)) {
    throw new StartError('--entrance is an entrance id (letters, digits and . _ : -)');
  }
  let dataDir: string;
  try {
    dataDir = resolveDataDir(argv, env, process.platform);
  } catch (error) {
    throw new StartError(error instanceof DataDirError ? error.message : String(error));
  }
  return {
    dataDir,
    entranceId,
    port,
    browser: argv.includes('--browser'),
    desk: argv.includes('--desk'),
  };
}

/** vite build of renderer/ into dist/renderer (about a second). */
export async function buildUi(): Promise<void> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new StartError(`building the UI failed (vite exit ${code})`);
}

export function electronPath(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package is there for its types; the binary was never fetched
  }
}

export function chromiumPath(): string | null {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** A window can open here (Linux needs an X11 or Wayland display). */
export function hasDisplay(env = process.env): boolean {
  return process.platform !== 'linux' || !!env.DISPLAY || !!env.WAYLAND_DISPLAY;
}

/**
 * Electron: preload bundled to CommonJS (sandboxed preloads cannot import), main run from its
 * TypeScript source through an ESM launcher that registers tsx (so the engine's worker threads
 * resolve exactly as under Node).
 */
export async function prepareElectron(): Promise<string> {
  const { build } = await import('esbuild');
  const outDir = join(ROOT, 'dist/electron');
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'electron/preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    target: 'node20',
    logLevel: 'warning',
  });
  const launcher = join(outDir, 'launch.mjs');
  writeFileSync(
    launcher,
    `// Generated by scripts/start.ts: run electron/main.ts from source.\n` +
      // A bare specifier: resolved from dist/electron up to the project's node_modules.
      `import { register } from 'tsx/esm/api';\n` +
      `register();\n` +
      `await import(${JSON.stringify(pathToFileURL(join(ROOT, 'electron/main.ts')).href)});\n`,
  );
  return launcher;
}

/** The enrolment desk's page on a running server: staff mode that stays on the PIN screen. */
export function deskUrl(server: Pick<KioskHttpServer, 'origin' | 'token'>): string {
  return `${server.origin}/?mode=desk#token=${server.token}`;
}

export interface BrowserKiosk {
  runtime: KioskRuntime;
  server: KioskHttpServer;
  /** What was opened (or is to be opened): the kiosk screen, or the desk with `desk: true`. */
  url: string;
  chromium: ChildProcess | null;
  close(): Promise<void>;
}

/** Browser mode: handler map + built UI on 127.0.0.1; Chromium in kiosk mode when present. */
export async function startBrowserKiosk(options: {
  runtime: KioskRuntimeOptions;
  port?: number;
  /** Extra Chromium flags (the demo's fake camera); null: do not open a browser. */
  chromiumFlags?: string[] | null;
  profileDir?: string;
  /** Open the enrolment desk instead of the kiosk screen. */
  desk?: boolean;
}): Promise<BrowserKiosk> {
  const runtime = await openKioskRuntime(options.runtime);
  let server: KioskHttpServer;
  try {
    server = await startKioskHttpServer({
      handlers: runtime.handlers,
      staffHandlers: runtime.staffHandlers,
      uiDir: UI_DIR,
      port: options.port ?? 0,
      log: (line) => console.error(line),
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const url = options.desk ? deskUrl(server) : server.url;
  let chromium: ChildProcess | null = null;
  const binary = chromiumPath();
  if (options.chromiumFlags !== null && binary && hasDisplay()) {
    const profile = options.profileDir ?? join(options.runtime.dataDir, 'chromium-profile');
    chromium = spawn(
      binary,
      [
        `--app=${url}`,
        '--kiosk',
        `--user-data-dir=${profile}`,
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-translate',
        // The kiosk has nobody to click a permission prompt; the page asks for video only.
        '--use-fake-ui-for-media-stream',
        ...(options.chromiumFlags ?? []),
      ],
      { stdio: 'ignore' },
    );
  }
  return {
    runtime,
    server,
    url,
    chromium,
    async close() {
      chromium?.kill();
      await server.close();
      await runtime.close();
    },
  };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  await buildUi();
  const electron = flags.browser ? null : electronPath();
  if (electron) {
    const launcher = await prepareElectron();
    const args = [
      launcher,
      '--data',
      flags.dataDir,
      ...(flags.entranceId ? ['--entrance', flags.entranceId] : []),
      ...(flags.desk ? ['--desk'] : []),
    ];
    console.log(`kiosk: Electron (${electron}), data in ${flags.dataDir}`);
    const child = spawn(electron, args, { stdio: 'inherit' });
    child.on('close', (code) => process.exit(code ?? 0));
    return;
  }
  const kiosk = await startBrowserKiosk({
    runtime: {
      dataDir: flags.dataDir,
      entranceId: flags.entranceId,
      engineOptions: { workers: 1 },
    },
    port: flags.port,
    desk: flags.desk,
  });
  const status = await kiosk.runtime.handlers.getStatus({});
  console.log(`kiosk: browser mode (Electron is not installed), data in ${flags.dataDir}`);
  console.log(
    `kiosk: event ${status.event?.name ?? '(none: import a guest list first)'}, entrance ${status.entrance?.name ?? '(none)'}`,
  );
  console.log(
    kiosk.chromium
      ? 'kiosk: opened Chromium in kiosk mode (close it or press Ctrl+C to stop); the URL is'
      : 'kiosk: open this URL in a browser on this machine (Ctrl+C to stop):',
  );
  if (flags.desk)
    console.log('kiosk: enrolment desk (staff PIN first; set it with npm run desk:pin)');
  console.log(`  ${kiosk.url}`);
  const stop = () => {
    void kiosk.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const openedAt = Date.now();
  kiosk.chromium?.on('close', (code) => {
    // A browser that dies at once (no display, broken profile) must not take the kiosk down.
    if (Date.now() - openedAt < 5000) {
      console.error(`kiosk: Chromium exited at once (code ${code}); still serving the URL above`);
    } else stop();
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
