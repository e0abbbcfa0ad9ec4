// Crash safety: a child process writes check-ins and prints each id once commit returned
// (acknowledged); we SIGKILL it at random moments. After every kill the database must open,
// pass integrity_check, hold every acknowledged check-in, and hold no check-in without its
// outbox row (the two are written in one transaction).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCheckIns, getCheckIn, openStore, setEvent } from '../../core/store';

const KILLS = 24;
const root = path.resolve('.');
let dir: string;
let writer: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'crash-'));
  const store = openStore(path.join(dir, 'data'));
  setEvent(store, { id: 'expo', name: 'Expo', entrances: [{ id: 'north', name: 'North Gate' }] });
  store.close();
  writer = path.join(dir, 'writer.ts');
  writeFileSync(
    writer,
    `import { checkIn } from ${JSON.stringify(path.join(root, 'core/checkin/checkin.ts'))};
     import { openStore, saveGuest } from ${JSON.stringify(path.join(root, 'core/store/index.ts'))};
     const [dataDir, run] = process.argv.slice(2);
     const store = openStore(dataDir!);
     process.stdout.write('ready\\n');
     for (let i = 0; ; i++) {
       const { guest } = saveGuest(store, {
         registrationId: 'run' + run + '-' + i, name: '客人 ' + i, nameLatin: null, organisation: null,
         category: 'attendee', entrances: [], language: null, consent: 'unknown', revoked: false,
       });
       const answer = checkIn(store, guest.id, { method: 'qr', entrance: 'north', kiosk: 'kiosk-crash' });
       if (answer.kind !== 'checked_in') throw new Error('unexpected ' + answer.kind);
       process.stdout.write(answer.checkInId + '\\n'); // acknowledged: the commit has returned
     }`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the writer, kill it with SIGKILL `delayMs` after it is ready; returns acknowledged ids. */
function runAndKill(run: number, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', writer, path.join(dir, 'data'), String(run)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && out.startsWith('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer ended by itself (code ${code}): ${err}`));
        return;
      }
      // Only complete lines count: a line cut by the kill was never fully acknowledged.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready'));
    });
  });
}

describe('crash safety under SIGKILL', () => {
  it(`keeps every acknowledged check-in across ${KILLS} kills at random moments`, async () => {
    const acknowledged: string[] = [];
    for (let run = 0; run < KILLS; run++) {
      const delayMs = 20 + Math.floor(Math.random() * 600);
      const ids = await runAndKill(run, delayMs);
      acknowledged.push(...ids);

      const store = openStore(path.join(dir, 'data'));
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(store.db.pragma('foreign_key_check')).toEqual([]);
        const missing = ids.filter((id) => getCheckIn(store, id) === null);
        expect(missing, `run ${run} (killed after ${delayMs} ms)`).toEqual([]);
        const orphans = store.db
          .prepare(
            `SELECT count(*) AS n FROM check_in c
             WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'checkin' AND o.entity_id = c.id)`,
          )
          .get() as { n: number };
        expect(orphans.n).toBe(0);
      } finally {
        store.close();
      }
    }
    const store = openStore(path.join(dir, 'data'));
    try {
      expect(acknowledged.length).toBeGreaterThan(KILLS); // the kills really landed mid-stream
      expect(acknowledged.every((id) => getCheckIn(store, id) !== null)).toBe(true);
      expect(countCheckIns(store)).toBeGreaterThanOrEqual(acknowledged.length);
      console.log(
        `crash test: ${KILLS} kills, ${acknowledged.length} acknowledged check-ins, all present`,
      );
    } finally {
      store.close();
    }
  });
});
