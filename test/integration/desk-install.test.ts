// Setting the staff PIN at install, as an operator does it: the CLI in its own process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PinVault } from '../../core/desk/pin';

function run(dataDir: string, input: string, extra: string[] = []) {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'core/desk/install.ts', '--data', dataDir, ...extra],
      { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout + e.stderr };
  }
}

describe('staff PIN at install', () => {
  it('stores only a hash, refuses a second install and mismatched entries, changes with the old PIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-install-'));
    expect(run(dir, '4821\n4822\n')).toMatchObject({ code: 1 });
    expect(run(dir, '12\n12\n').out).toContain('pin_format');
    expect(run(dir, '482913\n482913\n')).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, 'staff-pin.json'), 'utf8')).not.toContain('482913');
    expect(run(dir, '111111\n111111\n').out).toContain('pin_already_set');
    expect(run(dir, '000000\n777777\n777777\n', ['--change']).out).toContain('pin_wrong');
    expect(run(dir, '482913\n777777\n777777\n', ['--change'])).toMatchObject({ code: 0 });
    await new PinVault(join(dir, 'staff-pin.json'), () => Date.now()).verify('777777');
  });
});
