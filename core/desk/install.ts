// Setting the staff PIN at install: `npx tsx core/desk/install.ts [--data DIR]` asks for the PIN
// twice on the terminal (not echoed) and stores only its scrypt hash next to the database.
// `--change` replaces an existing PIN after asking for the current one.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveDataDir } from '../store/data-dir';
import { DeskError } from './errors';
import { PinVault } from './pin';

export const PIN_FILE = 'staff-pin.json';

/** Where a kiosk's staff PIN hash lives: beside its database in the data folder. */
export function pinFileIn(dataDir: string): string {
  return join(dataDir, PIN_FILE);
}

/** One prompt for all questions (a second readline would lose lines already buffered from a pipe). */
function prompter() {
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line.trim());
    else lines.push(line.trim());
  });
  rl.on('close', () => {
    for (const next of waiting.splice(0)) next('');
  });
  if (tty) {
    // Hide what is typed: after the question is printed, echo nothing.
    const writer = rl as unknown as { _writeToOutput: (s: string) => void };
    writer._writeToOutput = () => {};
  }
  return {
    ask(question: string): Promise<string> {
      process.stdout.write(question);
      const ready = lines.shift();
      if (ready !== undefined) {
        process.stdout.write('\n');
        return Promise.resolve(ready);
      }
      return new Promise((resolve) =>
        waiting.push((line) => {
          process.stdout.write('\n');
          resolve(line);
        }),
      );
    },
    close: () => rl.close(),
  };
}

async function main(argv: string[]): Promise<number> {
  const dataDir = resolveDataDir(argv, process.env, process.platform);
  const vault = new PinVault(pinFileIn(dataDir), () => Date.now());
  const { ask, close } = prompter();
  try {
    if (argv.includes('--change')) {
      const current = await ask('Current staff PIN: ');
      const next = await ask('New staff PIN (4-12 digits): ');
      if ((await ask('New staff PIN again: ')) !== next) throw new Error('the two PINs differ');
      await vault.change(current, next);
    } else {
      const pin = await ask('Staff PIN (4-12 digits): ');
      if ((await ask('Staff PIN again: ')) !== pin) throw new Error('the two PINs differ');
      await vault.set(pin);
    }
    console.log(`Staff PIN saved (hashed) in ${pinFileIn(dataDir)}`);
    return 0;
  } catch (error) {
    const text = error instanceof DeskError ? `${error.code}: ${error.message}` : String(error);
    console.error(`Staff PIN not saved: ${text}`);
    return 1;
  } finally {
    close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
