import { describe, expect, it } from 'vitest';
import { DeskError } from '../../core/desk/errors';
import { StaffSessions } from '../../core/desk/session';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof DeskError ? error.code : 'other';
  }
}

describe('staff sessions', () => {
  it('end by themselves after the idle time, and activity keeps them alive', () => {
    let now = 0;
    const sessions = new StaffSessions(() => now, 180_000);
    const { token } = sessions.open('anna');
    now = 179_000;
    expect(sessions.touch(token).staffId).toBe('anna');
    now = 179_000 + 179_999;
    expect(codeOf(() => sessions.touch(token))).toBe('ok');
    now += 180_000;
    expect(codeOf(() => sessions.touch(token))).toBe('session_expired');
    // Once expired, gone for good.
    expect(codeOf(() => sessions.touch(token))).toBe('session_invalid');
  });

  it('peek does not count as activity', () => {
    let now = 0;
    const sessions = new StaffSessions(() => now, 1000);
    const { token } = sessions.open('anna');
    now = 900;
    expect(sessions.peek(token).expiresAt).toBe(1000);
    now = 1000;
    expect(codeOf(() => sessions.peek(token))).toBe('session_expired');
  });

  it('refuses missing, forged and closed tokens', () => {
    const sessions = new StaffSessions(() => 0);
    const { token } = sessions.open('anna');
    for (const bad of [undefined, null, '', 'x'.repeat(500), token.slice(1), 42]) {
      expect(codeOf(() => sessions.touch(bad))).toBe('session_invalid');
    }
    sessions.close(token);
    expect(codeOf(() => sessions.touch(token))).toBe('session_invalid');
  });

  it('needs a proper staff id', () => {
    const sessions = new StaffSessions(() => 0);
    for (const bad of ['', 'a b', 'x'.repeat(65), '<script>']) {
      expect(codeOf(() => sessions.open(bad))).toBe('bad_staff_id');
    }
  });
});
