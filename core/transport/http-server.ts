// Browser mode: the kiosk's handler map (and, when given, the staff desk's) over HTTP on
// 127.0.0.1, with the built UI beside it.
// Every call needs the per-launch token (Authorization: Bearer …); Host and Origin must be this
// server's own, so a page on another site (or a DNS-rebinding name) cannot reach the kiosk.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  dispatch,
  MAX_FRAME_HEIGHT,
  MAX_FRAME_WIDTH,
  type KioskHandlers,
  type Outcome,
} from '../api';
import { isStaffMethod, type StaffHandlers, type StaffOutcome } from '../desk/api';
import { dispatchStaff } from '../desk/dispatch';
import { CodecError, decodeRequest } from './codec';
import { CONTENT_SECURITY_POLICY } from './csp';

const MAX_BODY_BYTES = MAX_FRAME_WIDTH * MAX_FRAME_HEIGHT * 4 + 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface KioskHttpServer {
  /** The URL to open, token in the fragment (never sent to a server, never in a log line). */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface KioskHttpOptions {
  handlers: KioskHandlers;
  /**
   * Staff mode (the enrolment desk) on the same origin and token; every staff method but
   * staffStatus/staffLogin needs a staff session from the PIN. Absent: staff methods are unknown.
   */
  staffHandlers?: StaffHandlers;
  /** The built UI (dist/renderer); null serves the API only. */
  uiDir: string | null;
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
  res.setHeader('Cache-Control', 'no-store');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: Outcome<unknown> | StaffOutcome<unknown>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function refuse(
  res: ServerResponse,
  status: number,
  code: 'unauthorized' | 'invalid_input',
  message: string,
) {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startKioskHttpServer(options: KioskHttpOptions): Promise<KioskHttpServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => {});
  const uiRoot = options.uiDir ? resolve(options.uiDir) : null;
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (!uiRoot) return refuse(res, 404, 'invalid_input', 'no UI is served here');
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = normalize(join(uiRoot, relative));
    if (!file.startsWith(uiRoot + sep) || relative.split('/').some((p) => p.startsWith('.'))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.byteLength,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  }

  async function serveCall(req: IncomingMessage, res: ServerResponse, method: string) {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      return refuse(res, 403, 'unauthorized', 'calls are accepted from the kiosk page only');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return refuse(res, 403, 'unauthorized', 'calls are accepted from the kiosk page only');
    }
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!given || !sameToken(given, token)) {
      return refuse(res, 401, 'unauthorized', 'missing or wrong kiosk token');
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body) {
      // The rest of the body is never read: close this connection rather than parse it.
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.destroy());
      return refuse(res, 413, 'invalid_input', `a call is at most ${MAX_BODY_BYTES} bytes`);
    }
    let input: unknown;
    try {
      input = body.byteLength === 0 ? {} : decodeRequest(body);
    } catch (error) {
      const message = error instanceof CodecError ? error.message : 'unreadable request body';
      return refuse(res, 400, 'invalid_input', message);
    }
    const onError = (m: string, error: unknown) =>
      log(
        `kiosk: ${m} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    const outcome =
      options.staffHandlers && isStaffMethod(method)
        ? await dispatchStaff(options.staffHandlers, method, input, onError)
        : await dispatch(options.handlers, method, input, onError);
    const status = outcome.ok ? 200 : outcome.error.code === 'unknown_method' ? 404 : 200;
    sendJson(res, status, outcome);
  }

  const server = createServer((req, res) => {
    securityHeaders(res);
    // DNS rebinding: a foreign name resolving to 127.0.0.1 still carries its own Host header.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return refuse(res, 421, 'unauthorized', 'unexpected Host header');
    }
    const url = new URL(req.url ?? '/', 'http://kiosk.invalid');
    const apiMatch = /^\/api\/([A-Za-z]{1,64})$/.exec(url.pathname);
    const work = apiMatch
      ? req.method === 'POST'
        ? serveCall(req, res, apiMatch[1]!)
        : Promise.resolve(refuse(res, 405, 'invalid_input', 'calls are POST'))
      : req.method === 'GET' || req.method === 'HEAD'
        ? serveStatic(req, res, url.pathname)
        : Promise.resolve(res.writeHead(405).end());
    work.catch((error: unknown) => {
      log(`kiosk http: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) refuse(res, 500, 'invalid_input', 'request failed');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
