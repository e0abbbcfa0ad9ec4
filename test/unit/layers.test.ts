// The layer directions of DEVELOPERS.md are enforced by ESLint; this proves the rule bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rules', () => {
  it('lets the renderer import types from core/api.ts only', async () => {
    expect(
      await layerErrors(
        'renderer/x.ts',
        "import type { KioskApi } from '../core/api';\nexport type A = KioskApi;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors('renderer/x.ts', "import { x } from '../core/api';\nexport const a = x;\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'renderer/x.ts',
        "import { openStore } from '../core/store/db';\nexport const a = openStore;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors('renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(1);
  });

  it('keeps core free of Electron, UI and the hub', async () => {
    for (const spec of ['electron', 'react', '../../server/app', '../../renderer/App']) {
      expect(
        await layerErrors('core/face/x.ts', `import * as m from '${spec}';\nexport const a = m;\n`),
      ).toHaveLength(1);
    }
  });

  it('lets the hub share only core/protocol', async () => {
    expect(
      await layerErrors(
        'server/x.ts',
        "import { pushSchema } from '../core/protocol/sync';\nexport const a = pushSchema;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'server/x.ts',
        "import { openStore } from '../core/store/db';\nexport const a = openStore;\n",
      ),
    ).toHaveLength(1);
  });

  it('keeps the shell away from the renderer and the hub', async () => {
    expect(
      await layerErrors('electron/x.ts', "import { a } from '../core/api';\nexport const b = a;\n"),
    ).toEqual([]);
    expect(
      await layerErrors(
        'electron/x.ts',
        "import { a } from '../server/app';\nexport const b = a;\n",
      ),
    ).toHaveLength(1);
  });
});
