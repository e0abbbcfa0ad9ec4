// `npm run import` end to end: the script as a child process on a real data folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestIdForRegistration } from '../../core/protocol/roster';
import { countGuests, getGuest, openStore } from '../../core/store';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'import-cli-'));
  writeFileSync(
    path.join(dir, 'event.json'),
    JSON.stringify({
      id: 'expo',
      name: 'Expo',
      entrances: [
        { id: 'north', name: 'North Gate' },
        { id: 'south', name: 'South Gate' },
        { id: 'vip', name: 'VIP Lounge' },
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runImport(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, KIOSK_DATA_DIR: path.join(dir, 'from-env') },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm run import', () => {
  it('imports into --data DIR, then reports re-imports as unchanged', { timeout: 120_000 }, () => {
    const data = path.join(dir, 'data');
    const first = runImport(
      'test/fixtures/roster/good.csv',
      '--data',
      data,
      '--event',
      path.join(dir, 'event.json'),
    );
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/inserted/);
    const again = runImport('test/fixtures/roster/good.csv', `--data=${data}`);
    expect(again.code).toBe(0);
    const store = openStore(data);
    try {
      expect(countGuests(store)).toBe(5);
      expect(getGuest(store, guestIdForRegistration('R1001'))!.name).toBe('王小明');
    } finally {
      store.close();
    }
  });

  it(
    'refuses a file with bad rows (exit 1, every line listed) unless --skip-bad',
    { timeout: 120_000 },
    () => {
      const data = path.join(dir, 'bad');
      const refused = runImport(
        'test/fixtures/roster/bad-rows.csv',
        '--data',
        data,
        '--event',
        path.join(dir, 'event.json'),
      );
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/8 bad rows; nothing was imported/);
      expect(refused.err).toMatch(/line 7: unknown entrance "Moon Gate"/);
      const skipped = runImport('test/fixtures/roster/bad-rows.csv', '--data', data, '--skip-bad');
      expect(skipped.code).toBe(0);
      expect(skipped.out).toMatch(/skipped line 3: the registration id is empty/);
    },
  );

  it(
    'maps columns with --map and uses KIOSK_DATA_DIR when --data is absent',
    { timeout: 120_000 },
    () => {
      const mapped = runImport(
        'test/fixtures/roster/custom-headers.csv',
        '--map',
        'Badge=registrationId',
        '--map',
        'Nom=name,Société=organisation,Catégorie=category',
      );
      expect(mapped.code).toBe(0);
      const store = openStore(path.join(dir, 'from-env'));
      try {
        expect(getGuest(store, guestIdForRegistration('C2'))!.name).toBe('李娜');
      } finally {
        store.close();
      }
    },
  );

  it(
    'explains malformed CSV, unknown options and a missing file (no stack traces)',
    { timeout: 120_000 },
    () => {
      const data = path.join(dir, 'errors');
      const quote = runImport('test/fixtures/roster/unterminated-quote.csv', '--data', data);
      expect(quote.code).toBe(1);
      expect(quote.err).toMatch(/line 3: a quoted field is never closed/);
      const option = runImport('x.csv', '--frobnicate');
      expect(option.code).toBe(2);
      expect(option.err).toMatch(/unknown option --frobnicate/);
      const missing = runImport(path.join(dir, 'nope.csv'), '--data', data);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/cannot read/);
      const badMap = runImport(
        'test/fixtures/roster/good.csv',
        '--data',
        data,
        '--map',
        'Full Name=fullName',
      );
      expect(badMap.code).not.toBe(0);
      expect(badMap.err).toMatch(/unknown field "fullName"/);
      for (const r of [quote, option, missing, badMap]) expect(r.err).not.toMatch(/\n\s+at /);
    },
  );
});
