// The staff PIN: set once at install, kept only as an scrypt hash with a random salt in a small
// file next to the kiosk's database, and locked for a while after a few wrong tries. The failure
// count is written before the answer is given, so restarting the kiosk does not reset it.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Clock } from './clock';
import { DeskError } from './errors';

export const PIN_PATTERN = /^[0-9]{4,12}$/;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLen: number;
}

/** ~100 ms and 32 MiB per check on a kiosk: slow for a thief with the file, quick for staff. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1, keyLen: 32 };

export interface LockoutPolicy {
  /** Wrong tries allowed in a row before staff mode locks. */
  maxTries: number;
  /** First lock length; each further lock in a row doubles it, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxTries: 5,
  lockMs: 5 * 60_000,
  maxLockMs: 60 * 60_000,
};

const pinFileSchema = z.object({
  version: z.literal(1),
  salt: z.string().min(16),
  hash: z.string().min(16),
  scrypt: z.object({
    N: z.number().int().min(2),
    r: z.number().int().min(1),
    p: z.number().int().min(1),
    keyLen: z.number().int().min(16).max(64),
  }),
  failures: z.number().int().min(0),
  lockouts: z.number().int().min(0),
  lockedUntil: z.number().int().min(0),
});
type PinFile = z.infer<typeof pinFileSchema>;

export interface PinStatus {
  set: boolean;
  locked: boolean;
  retryAfterMs: number;
  triesLeft: number;
}

function scrypt(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCb(pin, salt, params.keyLen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function assertPinFormat(pin: unknown): asserts pin is string {
  if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) {
    throw new DeskError('pin_format', 'The staff PIN is 4 to 12 digits.');
  }
}

export class PinVault {
  // Checks run one at a time, so two quick tries cannot both slip past the failure count.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
    private readonly params: ScryptParams = DEFAULT_SCRYPT,
  ) {}

  status(): PinStatus {
    const file = this.read();
    if (!file) return { set: false, locked: false, retryAfterMs: 0, triesLeft: 0 };
    const retryAfterMs = Math.max(0, file.lockedUntil - this.clock());
    return {
      set: true,
      locked: retryAfterMs > 0,
      retryAfterMs,
      triesLeft: Math.max(0, this.policy.maxTries - file.failures),
    };
  }

  /** Sets the PIN at install. Refuses when one is set already (use change()). */
  set(pin: string): Promise<void> {
    return this.serial(async () => {
      assertPinFormat(pin);
      if (this.read()) {
        throw new DeskError(
          'pin_already_set',
          'A staff PIN is already set; change it with the current PIN.',
        );
      }
      await this.writeNew(pin);
    });
  }

  /** Replaces the PIN after checking the current one (counts as a try). */
  change(current: string, next: string): Promise<void> {
    return this.serial(async () => {
      assertPinFormat(next);
      await this.check(current);
      await this.writeNew(next);
    });
  }

  /** Resolves when the PIN is right; otherwise throws pin_wrong / pin_locked / pin_not_set. */
  verify(pin: string): Promise<void> {
    return this.serial(() => this.check(pin));
  }

  private async check(pin: unknown): Promise<void> {
    const file = this.read();
    if (!file) throw new DeskError('pin_not_set', 'No staff PIN has been set on this kiosk.');
    const now = this.clock();
    if (file.lockedUntil > now) {
      throw new DeskError('pin_locked', 'Too many wrong PINs: staff mode is locked for a while.', {
        retryAfterMs: file.lockedUntil - now,
      });
    }
    // A malformed PIN is still a wrong try: it must not be a free probe.
    const candidate = typeof pin === 'string' && PIN_PATTERN.test(pin) ? pin : '';
    const expected = Buffer.from(file.hash, 'base64');
    const got = await scrypt(candidate, Buffer.from(file.salt, 'base64'), file.scrypt);
    if (candidate !== '' && got.length === expected.length && timingSafeEqual(got, expected)) {
      if (file.failures !== 0 || file.lockouts !== 0 || file.lockedUntil !== 0) {
        this.write({ ...file, failures: 0, lockouts: 0, lockedUntil: 0 });
      }
      return;
    }
    const failures = file.failures + 1;
    if (failures >= this.policy.maxTries) {
      const lockMs = Math.min(this.policy.maxLockMs, this.policy.lockMs * 2 ** file.lockouts);
      this.write({ ...file, failures: 0, lockouts: file.lockouts + 1, lockedUntil: now + lockMs });
      throw new DeskError('pin_locked', 'Too many wrong PINs: staff mode is locked for a while.', {
        retryAfterMs: lockMs,
      });
    }
    this.write({ ...file, failures });
    throw new DeskError('pin_wrong', 'Wrong staff PIN.', {
      triesLeft: this.policy.maxTries - failures,
    });
  }

  private async writeNew(pin: string): Promise<void> {
    const salt = randomBytes(16);
    const hash = await scrypt(pin, salt, this.params);
    this.write({
      version: 1,
      salt: salt.toString('base64'),
      hash: hash.toString('base64'),
      scrypt: this.params,
      failures: 0,
      lockouts: 0,
      lockedUntil: 0,
    });
  }

  private read(): PinFile | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new DeskError('pin_store_corrupt', `The staff PIN file ${this.path} cannot be read.`);
    }
    try {
      return pinFileSchema.parse(JSON.parse(text));
    } catch {
      // Fail closed: a damaged file must never mean "no PIN" (that would open staff mode).
      throw new DeskError(
        'pin_store_corrupt',
        `The staff PIN file ${this.path} is damaged; set the PIN again at install.`,
      );
    }
  }

  /** Write-then-rename, so a crash leaves the old file or the new one, never half of one. */
  private write(file: PinFile): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
