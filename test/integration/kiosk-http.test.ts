// Browser mode's HTTP transport on a real socket, with the real handler map (real engine, real
// SQLite file): the token, Host and Origin checks hold; bad input gets typed errors; frames of a
// real photo go all the way to a stored check-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameResult, Outcome } from '../../core/api';
import { openKioskRuntime, type KioskRuntime } from '../../core/kiosk/runtime';
import { KIOSK_VOTE } from '../../core/kiosk/session';
import { databasePath } from '../../core/store';
import { encodeRequest } from '../../core/transport/codec';
import { startKioskHttpServer, type KioskHttpServer } from '../../core/transport/http-server';
import { seedDemo } from '../../scripts/demo';
import { framesOf, shotOf } from '../../scripts/fake-camera';
import { mkdirSync, writeFileSync } from 'node:fs';

let dir: string;
let runtime: KioskRuntime;
let server: KioskHttpServer;
let guestIds: Map<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-http-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  runtime = await openKioskRuntime({
    dataDir: join(dir, 'data'),
    entranceId: 'north',
    engineOptions: { backend: 'wasm' },
  });
  guestIds = await seedDemo(runtime.store, runtime.engine);
  server = await startKioskHttpServer({ handlers: runtime.handlers, uiDir: ui });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(method: string, input: unknown, headers: Record<string, string> = {}) {
  return send(`/api/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.token}`,
      origin: server.origin,
      'content-type': 'application/x-kiosk-call',
      ...headers,
    },
    body: encodeRequest(input),
  });
}

const outcome = (reply: Reply) => JSON.parse(reply.body) as Outcome<unknown>;

describe('browser-mode transport', () => {
  it('answers a call that carries the launch token', async () => {
    const reply = await call('getStatus', {});
    expect(reply.status).toBe(200);
    expect(outcome(reply)).toMatchObject({ ok: true, value: { ready: true, guestCount: 6 } });
  });

  it.each([
    ['no token', { authorization: '' }, 401],
    ['a wrong token', { authorization: 'Bearer wrong-token' }, 401],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:80' }, 421],
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
  ])('refuses a call with %s', async (_name, headers, status) => {
    const reply = await call('getStatus', {}, headers);
    expect(reply.status).toBe(status);
    expect(outcome(reply)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('puts the token in the URL fragment only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the UI with a strict CSP, and nothing outside it', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/.env']) {
      const reply = await send(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('not for the page');
    }
    expect((await send('/', { headers: { host: 'evil.example' } })).status).toBe(421);
  });

  it('gives typed errors for unknown methods, broken bodies and GETs', async () => {
    expect(outcome(await call('dropTables', {}))).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    const broken = await send('/api/getStatus', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: new Uint8Array([0, 0, 9, 9, 1]),
    });
    expect(broken.status).toBe(400);
    expect(outcome(broken)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(
      (await send('/api/getStatus', { headers: { authorization: `Bearer ${server.token}` } }))
        .status,
    ).toBe(405);
  });

  it('refuses a body larger than the largest frame', async () => {
    const reply = await send('/api/submitFrame', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: new Uint8Array(6 * 1024 * 1024),
    });
    expect(reply.status).toBe(413);
  });

  it('reports a broken JPEG as bad_frame', async () => {
    const reply = await call('submitFrame', {
      frame: { format: 'jpeg', data: new Uint8Array([0xff, 0xd8, 1, 2, 3]) },
    });
    expect(outcome(reply)).toMatchObject({ ok: false, error: { code: 'bad_frame' } });
  });

  it('drops a second frame while one is in flight (busy), never queues it', async () => {
    const frame = { format: 'rgba', width: 480, height: 360, data: new Uint8Array(480 * 360 * 4) };
    const replies = await Promise.all([
      call('submitFrame', { frame }),
      call('submitFrame', { frame }),
    ]);
    const codes = replies.map((r) => {
      const o = outcome(r);
      return o.ok ? 'ok' : o.error.code;
    });
    expect(codes.sort()).toEqual(['busy', 'ok']);
  });

  it('checks an enrolled guest in from camera frames, once, into the SQLite file', async () => {
    await call('resetSession', {});
    const results: FrameResult[] = [];
    for await (const rgb of framesOf(shotOf('stairs', 12), 640, 480)) {
      const data = await sharp(rgb, { raw: { width: 640, height: 480, channels: 3 } })
        .resize(480)
        .ensureAlpha()
        .raw()
        .toBuffer();
      const o = outcome(
        await call('submitFrame', { frame: { format: 'rgba', width: 480, height: 360, data } }),
      );
      expect(o).toMatchObject({ ok: true });
      const result = (o as { value: FrameResult }).value;
      results.push(result);
      if (result.kind === 'checked_in') break;
    }
    const last = results.at(-1)!;
    expect(last).toMatchObject({ kind: 'checked_in', guest: { name: 'Sofia Marques' } });
    // The vote needed several frames: no single frame decided (K agreeing frames, K-1 scanning).
    expect(results.filter((r) => r.kind === 'scanning').length).toBeGreaterThanOrEqual(
      KIOSK_VOTE.k - 1,
    );
    const db = new Database(databasePath(join(dir, 'data')), { readonly: true });
    try {
      const rows = db.prepare('SELECT guest_id, method, entrance_id, kiosk_id FROM check_in').all();
      expect(rows).toEqual([
        {
          guest_id: guestIds.get('stairs'),
          method: 'face',
          entrance_id: 'north',
          kiosk_id: runtime.kioskId,
        },
      ]);
    } finally {
      db.close();
    }
  });

  it('checks in by registration number, and says which numbers are unknown', async () => {
    expect(outcome(await call('checkInByCode', { code: 'OSS-0000' }))).toMatchObject({
      ok: false,
      error: { code: 'unknown_code' },
    });
    expect(outcome(await call('checkInByCode', { code: 'OSS-1004' }))).toMatchObject({
      ok: true,
      value: { kind: 'not_allowed_here', allowed: [{ id: 'vip', name: 'VIP Lounge' }] },
    });
    expect(outcome(await call('checkInByCode', { code: 'OSS-1005' }))).toEqual({
      ok: true,
      value: { kind: 'see_staff' },
    });
  });
});
