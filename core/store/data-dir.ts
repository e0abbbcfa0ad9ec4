// Where the kiosk keeps its database: `--data DIR` beats KIOSK_DATA_DIR beats the OS default
// (the per-user application-data folder, as Electron's app.getPath('userData') would pick).
import path from 'node:path';

export const APP_FOLDER = 'face-checkin-kiosk';
export const DATABASE_FILE = 'kiosk.sqlite3';

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

type Env = Record<string, string | undefined>;

/** The value of `--data DIR` or `--data=DIR`, undefined when absent. */
export function dataFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--') || next.trim() === '') {
        throw new DataDirError('--data needs a folder: --data DIR');
      }
      found = next;
      i++;
    } else if (arg.startsWith('--data=')) {
      found = arg.slice('--data='.length);
      if (found.trim() === '') throw new DataDirError('--data= needs a folder: --data=DIR');
    }
  }
  return found;
}

export function resolveDataDir(
  argv: readonly string[],
  env: Env,
  platform: NodeJS.Platform,
  cwd: string = process.cwd(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const explicit = dataFlag(argv) ?? nonEmpty(env.KIOSK_DATA_DIR);
  if (explicit !== undefined) return p.resolve(cwd, explicit);

  if (platform === 'win32') {
    const appData =
      nonEmpty(env.APPDATA) ??
      (nonEmpty(env.USERPROFILE) && p.join(env.USERPROFILE!, 'AppData', 'Roaming'));
    if (!appData) throw new DataDirError('neither APPDATA nor USERPROFILE is set: use --data DIR');
    return p.join(appData, APP_FOLDER);
  }
  const home = nonEmpty(env.HOME);
  if (platform === 'darwin') {
    if (!home) throw new DataDirError('HOME is not set: use --data DIR');
    return p.join(home, 'Library', 'Application Support', APP_FOLDER);
  }
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, APP_FOLDER);
  if (!home) throw new DataDirError('HOME is not set: use --data DIR');
  return p.join(home, '.local', 'share', APP_FOLDER);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
