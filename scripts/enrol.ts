// npm run enrol -- PHOTO_DIR [--data DIR] [--staff ID] [--workers N]
// Bulk enrolment from pre-registration photos named by registration id (R1234.jpg).
// Resumable: a re-run skips photos already enrolled with the same file hash.
import { createFaceEngine } from '../core/face/engine';
import { createMatcher } from '../core/face/matcher';
import {
  PHOTO_STATUSES,
  enrolPhotos,
  listPhotos,
  type PhotoResult,
} from '../core/import/photo-enrol';
import {
  DataDirError,
  StoreError,
  bindGallery,
  countTemplates,
  openStoreFromArgs,
} from '../core/store';

const USAGE = 'usage: npm run enrol -- PHOTO_DIR [--data DIR] [--staff ID] [--workers N]';

function parseArgs(argv: string[]): { dir: string; staff?: string; workers: number } {
  let dir: string | undefined;
  let staff: string | undefined;
  let workers = 2;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--data') value();
    else if (arg.startsWith('--data=')) continue;
    else if (arg === '--staff') staff = value();
    else if (arg === '--workers') workers = Number(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (dir) throw new Error(`one photo folder at a time (got ${dir} and ${arg})`);
    else dir = arg;
  }
  if (!dir) throw new Error('which photo folder?');
  if (!Number.isInteger(workers) || workers < 1 || workers > 16)
    throw new Error('--workers is 1..16');
  return { dir, workers, ...(staff ? { staff } : {}) };
}

function describe(result: PhotoResult): string {
  switch (result.status) {
    case 'enrolled':
      return `enrolled ${result.guest.name}${result.replaced ? ' (replaced the earlier photo)' : ''}`;
    case 'already_enrolled':
      return 'already enrolled (same photo)';
    case 'no_face':
      return 'no face found';
    case 'several_faces':
      return `${result.count} faces: the photo must show one person`;
    case 'low_quality':
      return `quality too low: ${result.reasons.join(', ')}`;
    case 'unknown_guest':
      return `no guest with registration id ${result.registrationId}`;
    case 'consent_withdrawn':
      return `${result.guest.name} has withdrawn consent`;
    case 'lookalike':
      return `looks like ${result.other.name} (${result.other.registrationId}), already enrolled, distance ${result.distance.toFixed(3)}: check ${result.guest.name} (${result.guest.registrationId}) and ${result.other.name} at the desk`;
    case 'unreadable':
      return `unreadable: ${result.reason}`;
    case 'failed':
      return `failed: ${result.reason}`;
  }
}

function progressBar(done: number, total: number, file: string): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${file}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let total: number;
  try {
    total = (await listPhotos(args.dir)).length;
  } catch (err) {
    console.error(`cannot read the folder ${args.dir}: ${(err as Error).message}`);
    return 2;
  }
  const store = openStoreFromArgs(argv);
  const engine = await createFaceEngine({ workers: args.workers });
  try {
    const gallery = createMatcher({ initialCapacity: countTemplates(store) + total });
    const { unbind } = bindGallery(store, gallery);
    console.log(`store: ${store.file}; ${total} photos; engine backend ${engine.backend}`);
    const tty = process.stderr.isTTY;
    const started = performance.now();
    const report = await enrolPhotos(store, args.dir, {
      engine,
      gallery,
      concurrency: args.workers,
      staffId: args.staff ?? null,
      onResult: (result, done, all) => {
        const line = progressBar(done, all, result.file);
        if (tty) process.stderr.write(`\r${line.padEnd(process.stderr.columns - 1)}`);
        else if (done === all || done % 25 === 0) process.stderr.write(`${line}\n`);
      },
    });
    unbind();
    if (tty) process.stderr.write('\n');
    const problems = report.results.filter(
      (r) => r.status !== 'enrolled' && r.status !== 'already_enrolled',
    );
    if (problems.length > 0) {
      console.log('\nPhotos not enrolled:');
      console.table(problems.map((r) => ({ file: r.file, result: r.status, detail: describe(r) })));
    }
    console.log('\nSummary:');
    console.table(
      PHOTO_STATUSES.filter((s) => report.counts[s] > 0).map((s) => ({
        result: s,
        photos: report.counts[s],
      })),
    );
    console.log(`${total} photos in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return report.counts.failed > 0 ? 1 : 0;
  } finally {
    await engine.close();
    store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    if (err instanceof StoreError || err instanceof DataDirError) {
      console.error(err.message);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
