// `npm run hub` commands as real processes: a pairing code from the command line pairs a device
// with the running hub, a reset admin token replaces the old one, and bad arguments exit 2.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, '..', '..', 'server', 'main.ts');
const hubCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args]);

let hub: HubProcess;
beforeAll(async () => {
  hub = await startHub(mkdtempSync(join(tmpdir(), 'hub-cli-')));
});
afterAll(async () => {
  await hub?.stop();
});

describe('hub command line', () => {
  it('makes a one-time pairing code that the running hub accepts', async () => {
    const { stdout } = await hubCli(
      'pairing-code',
      '--kind',
      'kiosk',
      '--entrance',
      'north',
      '--data',
      hub.dataDir,
    );
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(stdout)![1]!;
    const paired = await call(`${hub.url}/v1/pair`, { body: { code, name: 'CLI kiosk' } });
    expect(paired).toMatchObject({ status: 201, body: { kind: 'kiosk', entranceId: 'north' } });
  });

  it('replaces the admin token', async () => {
    expect((await call(`${hub.url}/v1/admin/overview`, { token: hub.adminToken })).status).toBe(
      200,
    );
    const { stdout } = await hubCli('reset-admin-token', '--data', hub.dataDir);
    const token = /: (\S+)$/.exec(stdout.trim())![1]!;
    expect((await call(`${hub.url}/v1/admin/overview`, { token: hub.adminToken })).status).toBe(
      401,
    );
    expect((await call(`${hub.url}/v1/admin/overview`, { token })).status).toBe(200);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    for (const args of [
      ['--port', '99999'],
      ['--bogus'],
      ['pairing-code', '--kind', 'robot'],
      ['frobnicate'],
    ]) {
      const failure = await hubCli(...args).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code, args.join(' ')).toBe(2);
      expect(failure?.stderr.length).toBeGreaterThan(10);
    }
  });
});
