// The hub over TLS, as real processes: `npm run hub -- --tls-cert --tls-key` with a self-signed
// test certificate (test/fixtures/tls, for 127.0.0.1 only), a kiosk that pins it at pairing with
// the fingerprint the hub prints, and every way that must fail: no pin, a wrong pin, a hub that
// later presents another certificate, plain http to another machine, bad TLS files.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn } from '../../core/checkin/checkin';
import { countGuests, openStore, outboxSize, type Store } from '../../core/store';
import { getHubLink, pairWithHub, SyncClient, SyncError } from '../../core/sync';
import { HubTransport } from '../../core/sync/transport';
import { normaliseFingerprint, pinnedFetch } from '../../core/sync/tls';
import { HubCertError, makeHubCertificate, parseHubCertArgs } from '../../scripts/hub-cert';
import { call } from '../fixtures/sync/hub-client';
import { startHub, type HubProcess } from '../fixtures/sync/hub-process';
import { guest } from '../fixtures/sync/records';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'server', 'main.ts');
const TLS_DIR = join(ROOT, 'test', 'fixtures', 'tls');
const HUB_TLS = { certFile: join(TLS_DIR, 'hub-test.crt'), keyFile: join(TLS_DIR, 'hub-test.key') };
const OTHER_TLS = {
  certFile: join(TLS_DIR, 'other-test.crt'),
  keyFile: join(TLS_DIR, 'other-test.key'),
};
const fingerprintOf = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;
const HUB_FINGERPRINT = fingerprintOf(HUB_TLS.certFile);
const OTHER_FINGERPRINT = fingerprintOf(OTHER_TLS.certFile);

const hubCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args]);

let hub: HubProcess;
let dir: string;
/** Admin calls to the test hub: trust its certificate, as a pinned kiosk does. */
const trusted = pinnedFetch(readFileSync(HUB_TLS.certFile, 'utf8'));

async function pairingCode(kind: 'kiosk' | 'desk' = 'kiosk'): Promise<string> {
  const { stdout } = await hubCli(
    'pairing-code',
    '--kind',
    kind,
    '--entrance',
    'north',
    '--data',
    hub.dataDir,
  );
  return /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(stdout)![1]!;
}

function freshStore(name: string): Store {
  return openStore(join(dir, name));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-tls-'));
  hub = await startHub(join(dir, 'hub'), { tls: HUB_TLS });
  const admin = { fetch: trusted, token: hub.adminToken };
  const event = await call(`${hub.url}/v1/admin/event`, {
    ...admin,
    method: 'PUT',
    body: { id: 'ev', name: 'Event', entrances: [{ id: 'north', name: 'North' }] },
  });
  expect(event.status).toBe(200);
  const desk = await call(`${hub.url}/v1/pair`, {
    fetch: trusted,
    body: { code: await pairingCode('desk'), name: 'Desk' },
  });
  const deskToken = (desk.body as { token: string }).token;
  const pushed = await call(`${hub.url}/v1/push`, {
    fetch: trusted,
    token: deskToken,
    body: { checkIns: [], guests: [guest('a'), guest('b')], templates: [], deletions: [] },
  });
  expect(pushed.status).toBe(200);
});

afterAll(async () => {
  await hub?.stop();
});

describe('hub over TLS', () => {
  it('serves https only, and prints the fingerprint kiosks pin', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // Plain http to the TLS port gets no answer a client would accept.
    await expect(fetch(hub.url.replace('https:', 'http:') + '/v1/health')).rejects.toThrow();
    const health = await call(`${hub.url}/v1/health`, { fetch: trusted });
    expect(health).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('pairs a kiosk that pins the certificate, then pushes and pulls over it', async () => {
    const store = freshStore('pinned');
    try {
      const link = await pairWithHub(store, {
        hubUrl: hub.url,
        code: await pairingCode(),
        name: 'Pinned kiosk',
        fingerprint: HUB_FINGERPRINT.replaceAll(':', '').toLowerCase(),
      });
      expect(link.tls?.fingerprint256).toBe(HUB_FINGERPRINT);
      expect(new X509Certificate(link.tls!.pem).fingerprint256).toBe(HUB_FINGERPRINT);
      expect(getHubLink(store)).toEqual(link);

      const client = new SyncClient({
        store,
        hubUrl: link.hubUrl,
        token: link.token,
        pinnedCertificatePem: link.tls!.pem,
        compressPulls: true, // brotli through the pinned transport too
      });
      const first = await client.syncNow();
      expect(first.error).toBeNull();
      expect(countGuests(store)).toBe(2);

      checkIn(store, 'a', { method: 'face', entrance: 'north', kiosk: link.deviceId });
      const second = await client.syncNow();
      expect(second).toMatchObject({ error: null, pushed: 1 });
      expect(outboxSize(store)).toBe(0);
      const audit = await call(`${hub.url}/v1/admin/checkins/audit`, {
        fetch: trusted,
        token: hub.adminToken,
      });
      expect((audit.body as { total: number }).total).toBe(1);
      await client.stop();
    } finally {
      store.close();
    }
  });

  it('refuses a hub whose certificate does not match the fingerprint, before sending the code', async () => {
    const store = freshStore('wrong-pin');
    const code = await pairingCode();
    try {
      const failure = await pairWithHub(store, {
        hubUrl: hub.url,
        code,
        name: 'Kiosk',
        fingerprint: OTHER_FINGERPRINT,
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SyncError);
      expect((failure as SyncError).kind).toBe('rejected');
      expect((failure as SyncError).message).toMatch(/does not match the fingerprint/);
      expect(getHubLink(store)).toBeNull();
      // The code never reached the hub: it still pairs.
      const paired = await pairWithHub(store, {
        hubUrl: hub.url,
        code,
        name: 'Kiosk',
        fingerprint: HUB_FINGERPRINT,
      });
      expect(paired.kind).toBe('kiosk');
    } finally {
      store.close();
    }
  });

  it('does not trust a self-signed hub without its fingerprint', async () => {
    const store = freshStore('no-pin');
    const code = await pairingCode();
    try {
      const failure = await pairWithHub(store, { hubUrl: hub.url, code, name: 'Kiosk' }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SyncError);
      expect((failure as SyncError).message).toMatch(/certificate is not trusted/);
      expect(getHubLink(store)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('stops syncing when the hub presents another certificate later', async () => {
    const store = freshStore('swapped');
    try {
      const link = await pairWithHub(store, {
        hubUrl: hub.url,
        code: await pairingCode(),
        name: 'Kiosk',
        fingerprint: HUB_FINGERPRINT,
      });
      const client = new SyncClient({
        store,
        hubUrl: link.hubUrl,
        token: link.token,
        pinnedCertificatePem: link.tls!.pem,
      });
      expect((await client.syncNow()).error).toBeNull();
      checkIn(store, 'b', { method: 'face', entrance: 'north', kiosk: link.deviceId });
      await hub.stop();
      await hub.restart({ tls: OTHER_TLS }); // an impostor on the same address
      const report = await client.syncNow();
      expect(report.error?.kind).toBe('unreachable');
      expect(report.error?.message).toMatch(/certificate is not trusted/);
      expect(outboxSize(store)).toBe(1); // nothing sent, nothing lost
      await client.stop();
    } finally {
      store.close();
      await hub.stop();
      await hub.restart({ tls: HUB_TLS });
    }
  });
});

describe('plain http and bad TLS settings', () => {
  it('refuses plain http to a hub on another machine unless told otherwise', () => {
    expect(() => new HubTransport({ hubUrl: 'http://10.1.2.3:8787' })).toThrow(
      /refusing plain http/,
    );
    expect(
      () => new HubTransport({ hubUrl: 'http://10.1.2.3:8787', allowInsecureHttp: true }),
    ).not.toThrow();
    for (const url of ['http://127.0.0.1:8787', 'http://localhost:1', 'http://[::1]:1']) {
      expect(() => new HubTransport({ hubUrl: url })).not.toThrow();
    }
  });

  it('reads fingerprints as openssl and Node print them, and nothing else', () => {
    const plain = HUB_FINGERPRINT.replaceAll(':', '');
    for (const text of [
      HUB_FINGERPRINT,
      plain.toLowerCase(),
      `sha256 Fingerprint=${HUB_FINGERPRINT}`,
    ]) {
      expect(normaliseFingerprint(text)).toBe(HUB_FINGERPRINT);
    }
    for (const text of ['', 'AB:CD', plain.slice(2), `${plain}00`, plain.replace(/.$/, 'G')]) {
      expect(normaliseFingerprint(text)).toBeNull();
    }
  });

  it('the hub refuses to start with plain http on a network address, or with bad TLS files', async () => {
    const data = join(dir, 'refusals');
    const cases: [string[], RegExp][] = [
      [['--host', '0.0.0.0'], /refusing plain http on 0\.0\.0\.0/],
      [['--tls-cert', HUB_TLS.certFile], /go together/],
      [['--tls-cert', join(dir, 'missing.crt'), '--tls-key', HUB_TLS.keyFile], /cannot read/],
      [['--tls-cert', HUB_TLS.keyFile, '--tls-key', HUB_TLS.keyFile], /not a PEM certificate/],
      [['--tls-cert', HUB_TLS.certFile, '--tls-key', OTHER_TLS.keyFile], /is not the key of/],
    ];
    for (const [args, message] of cases) {
      const failure = await hubCli(...args, '--port', '0', '--data', data).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code, args.join(' ')).toBe(2);
      expect(failure?.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('npm run hub:cert makes a certificate for the given addresses, and never overwrites one', () => {
    const options = parseHubCertArgs([
      '--host',
      '127.0.0.1',
      '--host',
      'hub.local',
      '--out',
      join(dir, 'made'),
    ]);
    const made = makeHubCertificate(options);
    const certificate = new X509Certificate(readFileSync(made.certFile));
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkHost('hub.local')).toBe('hub.local');
    expect(certificate.checkIP('10.0.0.9')).toBeUndefined();
    expect(certificate.fingerprint256).toBe(made.fingerprint256);
    expect(statSync(made.keyFile).mode & 0o077).toBe(0);
    expect(() => makeHubCertificate(options)).toThrow(/not replaced/);
    for (const argv of [[], ['--host', 'not a host'], ['--host', 'h', '--days', '0']]) {
      expect(() => parseHubCertArgs(argv), argv.join(' ')).toThrow(HubCertError);
    }
  });
});
