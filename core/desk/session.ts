// Staff sessions: a random bearer token handed out after the PIN, ending by itself after a few
// idle minutes. Only a hash of each token is kept, so a memory dump does not yield live tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import { DeskError } from './errors';

export const STAFF_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const DEFAULT_IDLE_MS = 3 * 60_000;

export interface StaffSession {
  /** Not the token: safe to keep next to things the session owns (an open capture). */
  sessionId: string;
  staffId: string;
  startedAt: number;
  lastActiveAt: number;
  expiresAt: number;
}

interface Entry {
  sessionId: string;
  staffId: string;
  startedAt: number;
  lastActiveAt: number;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function assertStaffId(staffId: unknown): asserts staffId is string {
  if (typeof staffId !== 'string' || !STAFF_ID_PATTERN.test(staffId)) {
    throw new DeskError(
      'bad_staff_id',
      'A staff id is 1–64 letters, digits or . _ : - (for example "anna" or "desk2").',
    );
  }
}

export class StaffSessions {
  private readonly live = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly idleMs: number = DEFAULT_IDLE_MS,
  ) {}

  open(staffId: string): { token: string; session: StaffSession } {
    assertStaffId(staffId);
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const entry = {
      sessionId: randomBytes(8).toString('hex'),
      staffId,
      startedAt: now,
      lastActiveAt: now,
    };
    this.live.set(digest(token), entry);
    return { token, session: this.view(entry) };
  }

  /** Returns the session and counts this as activity; throws session_invalid / session_expired. */
  touch(token: unknown): StaffSession {
    const entry = this.lookup(token);
    entry.lastActiveAt = this.clock();
    return this.view(entry);
  }

  /** Like touch() but without counting as activity (for a screen polling its remaining time). */
  peek(token: unknown): StaffSession {
    return this.view(this.lookup(token));
  }

  close(token: unknown): void {
    if (typeof token === 'string') this.live.delete(digest(token));
  }

  closeAll(): void {
    this.live.clear();
  }

  get count(): number {
    this.sweep();
    return this.live.size;
  }

  private lookup(token: unknown): Entry {
    if (typeof token !== 'string' || token.length === 0 || token.length > 128) {
      throw new DeskError('session_invalid', 'Staff mode needs the staff PIN.');
    }
    const key = digest(token);
    const entry = this.live.get(key);
    if (!entry) throw new DeskError('session_invalid', 'Staff mode needs the staff PIN.');
    if (this.clock() - entry.lastActiveAt >= this.idleMs) {
      this.live.delete(key);
      throw new DeskError(
        'session_expired',
        'Staff mode ended after being idle; enter the PIN again.',
      );
    }
    return entry;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [key, entry] of this.live) {
      if (now - entry.lastActiveAt >= this.idleMs) this.live.delete(key);
    }
  }

  private view(entry: Entry): StaffSession {
    return {
      sessionId: entry.sessionId,
      staffId: entry.staffId,
      startedAt: entry.startedAt,
      lastActiveAt: entry.lastActiveAt,
      expiresAt: entry.lastActiveAt + this.idleMs,
    };
  }
}
