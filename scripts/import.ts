// npm run import -- roster.csv [--map col=field ...] [--skip-bad] [--data DIR] [--event event.json] [--staff ID]
// Imports a registration system's roster CSV into the kiosk store (all rows or none).
import { readFileSync } from 'node:fs';
import { RosterRejectedError, importCounts, importRoster } from '../core/import/roster-import';
import { RosterFormatError, formatRowError, parseMappingArgs } from '../core/protocol/roster';
import { eventSchema } from '../core/protocol/sync';
import { DataDirError, StoreError, openStoreFromArgs, setEvent } from '../core/store';

const USAGE =
  'usage: npm run import -- ROSTER.csv [--map COLUMN=FIELD ...] [--skip-bad] [--data DIR] [--event EVENT.json] [--staff ID]';

interface Args {
  file: string;
  maps: string[];
  skipBad: boolean;
  event?: string;
  staff?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { maps: string[] } = { maps: [], skipBad: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--map') args.maps.push(value());
    else if (arg.startsWith('--map=')) args.maps.push(arg.slice(6));
    else if (arg === '--skip-bad') args.skipBad = true;
    else if (arg === '--data')
      value(); // read by openStoreFromArgs
    else if (arg.startsWith('--data=')) continue;
    else if (arg === '--event') args.event = value();
    else if (arg === '--staff') args.staff = value();
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (args.file)
      throw new UsageError(`one roster file at a time (got ${args.file} and ${arg})`);
    else args.file = arg;
  }
  if (!args.file) throw new UsageError('which roster file?');
  return args as Args;
}

class UsageError extends Error {}

function main(): number {
  const argv = process.argv.slice(2);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(err.message);
      console.error(USAGE);
      return 2;
    }
    throw err;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (err) {
    console.error(`cannot read ${args.file}: ${(err as Error).message}`);
    return 2;
  }
  const store = openStoreFromArgs(argv);
  try {
    if (args.event) {
      const event = eventSchema.parse(JSON.parse(readFileSync(args.event, 'utf8')));
      setEvent(store, event);
      console.log(`event: ${event.name} (${event.entrances.map((e) => e.name).join(', ')})`);
    }
    const started = performance.now();
    const summary = importRoster(store, bytes, {
      mapping: parseMappingArgs(args.maps),
      skipBad: args.skipBad,
      staffId: args.staff ?? null,
      sourceName: args.file,
    });
    const ms = performance.now() - started;
    console.log(`store: ${store.file}`);
    console.log(
      `columns: ${summary.columns.map((c) => `${c.header}→${c.field ?? '(unused)'}`).join(', ')}`,
    );
    console.table([importCounts(summary)]);
    for (const error of summary.errors) console.log(`skipped ${formatRowError(error)}`);
    console.log(`done in ${(ms / 1000).toFixed(2)} s`);
    return 0;
  } catch (err) {
    if (err instanceof RosterRejectedError) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof RosterFormatError) {
      console.error(`${args.file}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    store.close();
  }
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof StoreError || err instanceof DataDirError || err instanceof SyntaxError) {
    console.error(err.message);
    process.exitCode = 2;
  } else if (err instanceof Error && err.name === 'ZodError') {
    console.error(`invalid event file: ${err.message}`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
