import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';

// Writes two small modules importing each other into a temp folder inside a project and lints them with the
// real eslint.config.js: the cycle rules must report both a value cycle and a cycle made only of `import type`.
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(root, 'libs/tracking/src/.cycle-test-'));
const eslint = new ESLint({
  cwd: root,
  ignore: false,
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.ts'] }],
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cycleMessages(files: Record<string, string>): Promise<string[]> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const results = await eslint.lintFiles(Object.keys(files).map((n) => join(dir, n)));
  return results
    .flatMap((r) =>
      r.messages.filter((m) => m.ruleId?.endsWith('no-cycle') || m.ruleId?.endsWith('no-import-cycle')),
    )
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import cycles fail lint', () => {
  it('reports a value cycle', async () => {
    const found = await cycleMessages({
      'a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
      'b.ts': "import { a } from './a';\nexport const b = (): number => a() - 1;\n",
    });
    expect(found.some((m) => m.startsWith('import-x/no-cycle'))).toBe(true);
    expect(
      found.some((m) => m.startsWith('kelly/no-import-cycle') && /a\.ts → .*b\.ts → .*a\.ts/.test(m)),
    ).toBe(true);
  });

  it('reports a cycle made only of type imports', async () => {
    const found = await cycleMessages({
      'c.ts': "import type { D } from './d';\nexport interface C { d?: D }\n",
      'd.ts': "import type { C } from './c';\nexport interface D { c?: C }\n",
    });
    expect(found.filter((m) => m.startsWith('kelly/no-import-cycle'))).toHaveLength(2);
  });

  it('reports nothing once the cycle is broken', async () => {
    const found = await cycleMessages({
      'e.ts': 'export interface E { n: number }\n',
      'f.ts': "import type { E } from './e';\nexport const f = (e: E): number => e.n;\n",
    });
    expect(found).toEqual([]);
  });
}, 120_000);
