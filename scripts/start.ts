// `npm start [-- --data DIR] [--entrance ID] [--port N] [--browser] [--desk]
//   [--pair HUB_URL CODE | --hub HUB_URL --pairing-code CODE] [--hub-fingerprint SHA256]
//   [--insecure-http]`: run the kiosk
// (--desk: open the staff enrolment desk instead of the kiosk screen; --pair: pair this kiosk
// with the event hub once, with the organiser's one-time code; the link is kept in the data
// folder and every later start syncs in the background without the flag; --hub-fingerprint pins
// a hub's self-signed certificate; plain http to a hub on another machine needs --insecure-http).
// Electron when its binary is installed; otherwise browser mode: the handler map over HTTP on
// 127.0.0.1 with a per-launch token, opened in Debian Chromium in kiosk/app mode when it exists,
// else the URL is printed (open it in any browser on this machine).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  openKioskRuntime,
  type KioskRuntime,
  type KioskRuntimeOptions,
} from '../core/kiosk/runtime';
import { DataDirError, resolveDataDir } from '../core/store/data-dir';
import { openStore } from '../core/store/store';
import { isLoopback } from '../core/protocol/loopback';
import { getHubLink, pairWithHub, SyncError, type HubLink } from '../core/sync';
import { normaliseFingerprint } from '../core/sync/tls';
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
  /** Pair with the hub before starting (--pair URL CODE, or --hub URL --pairing-code CODE). */
  pair: PairFlags | null;
}

export interface PairFlags {
  hubUrl: string;
  code: string;
  /** --hub-fingerprint: the SHA-256 fingerprint of a hub's self-signed certificate. */
  fingerprint?: string;
  /** --insecure-http: plain http to a hub on another machine. */
  allowInsecureHttp?: true;
}

const FLAGS_HELP =
  '--data DIR, --entrance ID, --port N, --browser, --desk, --pair HUB_URL CODE ' +
  '(or --hub HUB_URL --pairing-code CODE), --hub-fingerprint SHA256, --insecure-http';

function pairFlags(
  argv: readonly string[],
  value: (name: string) => string | undefined,
): PairFlags | null {
  let hubUrl: string | undefined;
  let code: string | undefined;
  const i = argv.indexOf('--pair');
  if (i >= 0) {
    [hubUrl, code] = [argv[i + 1], argv[i + 2]];
    if (!hubUrl || hubUrl.startsWith('--') || !code || code.startsWith('--')) {
      throw new StartError('--pair needs the hub address and the pairing code: --pair URL CODE');
    }
    if (argv.includes('--hub') || argv.includes('--pairing-code')) {
      throw new StartError(
        'give either --pair URL CODE or --hub URL --pairing-code CODE, not both',
      );
    }
  } else {
    hubUrl = value('hub');
    code = value('pairing-code');
    if (hubUrl === undefined && code === undefined) {
      if (value('hub-fingerprint') !== undefined || argv.includes('--insecure-http')) {
        throw new StartError('--hub-fingerprint and --insecure-http go with --pair URL CODE');
      }
      return null;
    }
    if (hubUrl === undefined) throw new StartError('--pairing-code needs --hub URL too');
    if (code === undefined) throw new StartError('--hub needs --pairing-code CODE too');
  }
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new StartError(`the hub address is not a URL: ${hubUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StartError(`the hub address must start with http:// or https://, got ${hubUrl}`);
  }
  if (!code.trim() || code.length > 64) {
    throw new StartError('the pairing code is the short code from the hub (1 to 64 characters)');
  }
  const fingerprintText = value('hub-fingerprint');
  const fingerprint =
    fingerprintText === undefined ? undefined : normaliseFingerprint(fingerprintText);
  if (fingerprint === null) {
    throw new StartError(
      '--hub-fingerprint is the SHA-256 fingerprint the hub prints at start (64 hex digits, colons optional)',
    );
  }
  if (fingerprint && url.protocol !== 'https:') {
    throw new StartError('--hub-fingerprint needs an https:// hub address');
  }
  const insecure = argv.includes('--insecure-http');
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !insecure) {
    throw new StartError(
      `refusing plain http to ${url.host}: face templates would cross the network unencrypted. ` +
        'Pair over https (the hub prints its address and fingerprint), or add --insecure-http on a network you trust',
    );
  }
  // The hub's address as typed, minus a trailing slash (the client appends /v1/...).
  return {
    hubUrl: hubUrl.replace(/\/+$/, ''),
    code: code.trim(),
    ...(fingerprint ? { fingerprint } : {}),
    ...(insecure ? { allowInsecureHttp: true as const } : {}),
  };
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
  const known = new Set([
    '--data',
    '--entrance',
    '--port',
    '--browser',
    '--desk',
    '--pair',
    '--hub',
    '--pairing-code',
    '--hub-fingerprint',
    '--insecure-http',
  ]);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg.split('=')[0]!)) {
      throw new StartError(`unknown flag ${arg} (flags: ${FLAGS_HELP})`);
    }
  }
  const pair = pairFlags(argv, value);
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
    pair,
  };
}

/**
 * Pairs the kiosk whose data is in `dataDir` with the hub and keeps the link there, before the
 * kiosk starts (in either mode the runtime then finds the link and syncs). A code is used once:
 * a failure says so, and whether the kiosk is already paired.
 */
export async function pairKiosk(
  dataDir: string,
  request: PairFlags & { name?: string },
): Promise<HubLink> {
  const store = openStore(dataDir);
  try {
    const existing = getHubLink(store);
    try {
      return await pairWithHub(store, {
        hubUrl: request.hubUrl,
        code: request.code,
        name: request.name ?? `kiosk on ${hostname()}`,
        fingerprint: request.fingerprint ?? null,
        allowInsecureHttp: request.allowInsecureHttp === true,
      });
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      const already = existing
        ? ` This kiosk is already paired with ${existing.hubUrl} (device ${existing.deviceId}); start it without --pair to keep that link.`
        : '';
      throw new StartError(`pairing with ${request.hubUrl} failed: ${error.message}.${already}`);
    }
  } finally {
    store.close();
  }
}

/** One line for the console: where sync stands (no secrets: the token is never printed). */
export function describeHubLink(link: HubLink | null): string {
  if (!link)
    return 'not paired with a hub (check-ins stay on this kiosk; pair with --pair URL CODE)';
  const pinned = link.tls ? ` (hub certificate pinned: ${link.tls.fingerprint256})` : '';
  return `paired with ${link.hubUrl} as device ${link.deviceId}${pinned}; syncing in the background`;
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
  if (flags.pair) {
    const link = await pairKiosk(flags.dataDir, flags.pair);
    console.log(`kiosk: paired with ${link.hubUrl} as device ${link.deviceId}`);
  }
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
  console.log(`kiosk: ${describeHubLink(kiosk.runtime.hubLink)}`);
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
