import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints imaginary files placed inside each project (lintText with a filePath) against the real
// eslint.config.js, so the dependency direction of the design is checked by the same rule CI runs.
const root = resolve(import.meta.dirname, '../..');
// The files do not exist, so type-aware parsing is switched off for them; the boundary rule needs none.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.ts', '**/*.tsx'] }],
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`eslint could not lint ${file}: ${fatal.message}`);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

// The rule skips itself without a cached Nx project graph (fresh clone): make sure one exists.
beforeAll(() => {
  execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, stdio: 'ignore' });
}, 120_000);

const use = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

describe('dependency direction', () => {
  it.each([
    ['libs/features/src/bad.ts', '@kelly/tracking'],
    ['libs/features/src/bad.ts', '@kelly/models'],
    ['libs/models/src/bad.ts', '@kelly/tracking'],
    ['libs/tracking/src/bad.ts', '@kelly/features'],
    ['libs/tracking/src/bad.ts', '@kelly/models'],
    ['libs/tracking/src/bad.ts', '@tensorflow/tfjs'],
    ['libs/tracking/src/bad.ts', '@kelly/legacy'],
    ['libs/tracking/src/bad.ts', '@kelly/registry'],
    ['libs/legacy/src/bad.ts', '@kelly/registry'],
    ['libs/legacy/src/bad.ts', '@kelly/features'],
    ['libs/legacy/src/bad.ts', '@kelly/models'],
    ['libs/legacy/src/bad.ts', '@tensorflow/tfjs'],
    ['libs/registry/src/bad.ts', '@kelly/features'],
    ['libs/registry/src/bad.ts', '@kelly/models'],
    ['libs/registry/src/bad.ts', '@tensorflow/tfjs'],
    ['libs/features/src/bad.ts', '@kelly/legacy'],
    ['libs/models/src/bad.ts', '@kelly/registry'],
    ['libs/legacy/src/bad.ts', '@kelly/cli'],
    ['apps/trainer/src/bad.ts', '@kelly/cli'],
    ['apps/dashboard/src/bad.ts', '@kelly/trainer'],
    ['tools/cli/src/bad.ts', '@kelly/legacy-watcher'],
    ['tools/cli/src/bad.ts', '../../../apps/trainer/src/main'],
    // the registry takes the native check through an injected port, never the runner itself
    ['libs/registry/src/bad.ts', '@kelly/rtneural-native'],
    ['libs/tracking/src/bad.ts', '@kelly/rtneural-native'],
    ['libs/models/src/bad.ts', '@kelly/rtneural-native'],
    ['libs/rtneural-native/src/bad.ts', '@kelly/models'],
    ['libs/rtneural-native/src/bad.ts', '@kelly/registry'],
    ['libs/rtneural-native/src/bad.ts', '@kelly/tracking'],
    ['libs/rtneural-native/src/bad.ts', '@tensorflow/tfjs'],
    // @kelly/test-support is for tests only, and depends on nothing of ours
    ['libs/tracking/src/bad.ts', '@kelly/test-support'],
    ['libs/features/src/bad.ts', '@kelly/test-support'],
    ['apps/dashboard/src/bad.ts', '@kelly/test-support'],
    ['tools/cli/src/bad.ts', '@kelly/test-support'],
    ['libs/test-support/src/bad.ts', '@kelly/tracking'],
    ['libs/test-support/src/bad.test.ts', '@kelly/features'],
    ['libs/tracking/src/bad.test.ts', '@kelly/legacy'],
  ])('%s may not import %s', async (file, spec) => {
    expect(await boundaryErrors(file, use(spec))).not.toEqual([]);
  });

  it.each([
    ['libs/models/src/ok.ts', '@kelly/features'],
    ['apps/trainer/src/ok.ts', '@kelly/tracking'],
    ['apps/trainer/src/ok.ts', '@kelly/models'],
    ['tools/cli/src/ok.ts', '@kelly/tracking'],
    ['libs/legacy/src/ok.ts', '@kelly/tracking'],
    ['libs/registry/src/ok.ts', '@kelly/tracking'],
    ['libs/registry/src/ok.ts', '@kelly/legacy'],
    ['tools/cli/src/ok.ts', '@kelly/legacy'],
    ['tools/cli/src/ok.ts', '@kelly/registry'],
    ['apps/dashboard/src/ok.ts', '@kelly/registry'],
    ['tools/cli/src/ok.ts', '@kelly/rtneural-native'],
    ['apps/trainer/src/ok.ts', '@kelly/rtneural-native'],
    ['apps/dashboard/src/ok.ts', '@kelly/rtneural-native'],
    ['libs/features/src/ok.test.ts', '@kelly/test-support'],
    ['libs/tracking/test/ok.ts', '@kelly/test-support'],
    ['libs/registry/src/test-support/ok.ts', '@kelly/test-support'],
    ['apps/dashboard/test/support/ok.ts', '@kelly/test-support'],
    ['tools/cli/src/commands/ok.test.ts', '@kelly/test-support'],
  ])('%s may import %s', async (file, spec) => {
    expect(await boundaryErrors(file, use(spec))).toEqual([]);
  });
});
