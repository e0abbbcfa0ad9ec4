import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../core/desk/errors';
import { PinVault, type LockoutPolicy, type ScryptParams } from '../../core/desk/pin';

// Small scrypt cost keeps the test quick; the production cost is DEFAULT_SCRYPT.
const FAST: ScryptParams = { N: 1024, r: 8, p: 1, keyLen: 32 };
const POLICY: LockoutPolicy = { maxTries: 3, lockMs: 60_000, maxLockMs: 240_000 };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'desk-pin-'));
  const file = join(dir, 'staff-pin.json');
  let now = 1_000_000;
  const clock = () => now;
  const vault = () => new PinVault(file, clock, POLICY, FAST);
  return { file, vault, advance: (ms: number) => (now += ms) };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (error instanceof DeskError) return error.code;
    throw error;
  }
}

describe('staff PIN', () => {
  it('is stored only as a salted scrypt hash', async () => {
    const { file, vault } = setup();
    await vault().set('482913');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('482913');
    const saved = JSON.parse(text) as { salt: string; hash: string };
    expect(Buffer.from(saved.salt, 'base64')).toHaveLength(16);
    // Same PIN elsewhere gets a different salt, so a different hash.
    const other = setup();
    await other.vault().set('482913');
    const otherSaved = JSON.parse(readFileSync(other.file, 'utf8')) as { hash: string };
    expect(otherSaved.hash).not.toBe(saved.hash);
  });

  it('accepts the right PIN and refuses a wrong one with the tries left', async () => {
    const { vault } = setup();
    await vault().set('482913');
    expect(await code(vault().verify('482913'))).toBe('ok');
    const error = await vault()
      .verify('000000')
      .catch((e: DeskError) => e);
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe('pin_wrong');
    expect((error as DeskError).details.triesLeft).toBe(2);
  });

  it('locks after a few wrong tries, even for the right PIN, and survives a restart', async () => {
    const { vault, advance } = setup();
    await vault().set('482913');
    expect(await code(vault().verify('111111'))).toBe('pin_wrong');
    expect(await code(vault().verify('222222'))).toBe('pin_wrong');
    expect(await code(vault().verify('333333'))).toBe('pin_locked');
    // A new vault object (kiosk restarted) still sees the lock.
    expect(await code(vault().verify('482913'))).toBe('pin_locked');
    expect(vault().status()).toMatchObject({ set: true, locked: true, retryAfterMs: 60_000 });
    advance(59_999);
    expect(await code(vault().verify('482913'))).toBe('pin_locked');
    advance(1);
    expect(await code(vault().verify('482913'))).toBe('ok');
    expect(vault().status()).toMatchObject({ locked: false, triesLeft: 3 });
  });

  it('doubles the lock when wrong tries go on after it', async () => {
    const { vault, advance } = setup();
    await vault().set('482913');
    for (let i = 0; i < 3; i++) await code(vault().verify('999999'));
    advance(60_000);
    for (let i = 0; i < 2; i++) expect(await code(vault().verify('999999'))).toBe('pin_wrong');
    const error = (await vault()
      .verify('999999')
      .catch((e: unknown) => e)) as DeskError;
    expect(error.code).toBe('pin_locked');
    expect(error.details.retryAfterMs).toBe(120_000);
  });

  it('counts concurrent tries one by one', async () => {
    const { vault } = setup();
    await vault().set('482913');
    const v = vault();
    const results = await Promise.all(
      ['1111', '2222', '3333', '4444'].map((p) => code(v.verify(p))),
    );
    expect(results).toEqual(['pin_wrong', 'pin_wrong', 'pin_locked', 'pin_locked']);
  });

  it('counts a malformed PIN as a wrong try', async () => {
    const { vault } = setup();
    await vault().set('482913');
    expect(await code(vault().verify('abc'))).toBe('pin_wrong');
    expect(vault().status().triesLeft).toBe(2);
  });

  it('refuses a bad PIN format at install and a second install', async () => {
    const { vault } = setup();
    expect(await code(vault().set('12'))).toBe('pin_format');
    expect(await code(vault().set('12345678901234'))).toBe('pin_format');
    expect(await code(vault().set('12ab'))).toBe('pin_format');
    expect(await code(vault().verify('1234'))).toBe('pin_not_set');
    await vault().set('1234');
    expect(await code(vault().set('5678'))).toBe('pin_already_set');
  });

  it('changes the PIN only with the current one', async () => {
    const { vault } = setup();
    await vault().set('1234');
    expect(await code(vault().change('9999', '5678'))).toBe('pin_wrong');
    expect(await code(vault().change('1234', '5678'))).toBe('ok');
    expect(await code(vault().verify('1234'))).toBe('pin_wrong');
    expect(await code(vault().verify('5678'))).toBe('ok');
  });

  it('fails closed on a damaged PIN file', async () => {
    const { file, vault } = setup();
    await vault().set('1234');
    writeFileSync(file, '{"version":1,');
    expect(await code(vault().verify('1234'))).toBe('pin_store_corrupt');
    expect(() => vault().status()).toThrow(DeskError);
  });
});
