// ESLint flat config: type-checked TypeScript rules plus Nx module boundaries.
// The dependency direction of the design is enforced here (see depConstraints) and tested in
// tools/scripts/module-boundaries.test.ts.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import kelly from './tools/eslint/no-import-cycle.js';

const LIBS = [
  'scope:features',
  'scope:models',
  'scope:tracking',
  'scope:legacy',
  'scope:registry',
  'scope:rtneural-native',
];
const TEST_SUPPORT = 'type:test-support';

export const depConstraints = [
  // features: audio I/O and datasets; depends on nothing of ours.
  { sourceTag: 'scope:features', onlyDependOnLibsWithTags: ['scope:features'] },
  // models: layers, export, RTNeural reference; may use features.
  { sourceTag: 'scope:models', onlyDependOnLibsWithTags: ['scope:models', 'scope:features'] },
  // tracking: the store and the tracking client; imports no lib of ours and never tfjs.
  {
    sourceTag: 'scope:tracking',
    onlyDependOnLibsWithTags: ['scope:tracking'],
    bannedExternalImports: ['@tensorflow/*'],
  },
  // legacy: old Kelly file formats, their import into the store, folder watching; uses tracking only.
  {
    sourceTag: 'scope:legacy',
    onlyDependOnLibsWithTags: ['scope:legacy', 'scope:tracking'],
    bannedExternalImports: ['@tensorflow/*'],
  },
  // registry: versions, gates, promotion, publishing; uses tracking, and legacy for old registry files.
  {
    sourceTag: 'scope:registry',
    onlyDependOnLibsWithTags: ['scope:registry', 'scope:legacy', 'scope:tracking'],
    bannedExternalImports: ['@tensorflow/*'],
  },
  // rtneural-native: builds and spawns the native RTNeural runner; depends on nothing of ours and never tfjs.
  // The registry does not import it: its native-rtneural gate takes the check through a port the CLI and the
  // dashboard inject (see libs/registry/src/gate-types.ts), as it does the strict validator.
  {
    sourceTag: 'scope:rtneural-native',
    onlyDependOnLibsWithTags: ['scope:rtneural-native'],
    bannedExternalImports: ['@tensorflow/*'],
  },
  // apps and tools use libs, never each other.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: LIBS },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: LIBS },
  // test-support: fixture and tool checks for tests; depends on nothing of ours.
  { sourceTag: TEST_SUPPORT, onlyDependOnLibsWithTags: [TEST_SUPPORT] },
];

/**
 * Test files, test helpers and benches of every project may also use @kelly/test-support (a bench, like a test,
 * starts its throwaway PostgreSQL cluster with it); no shipped file may.
 */
export const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag === TEST_SUPPORT
    ? c
    : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, TEST_SUPPORT] },
);
const TEST_FILES = [
  '**/*.test.ts',
  '**/*.test.tsx',
  '**/test/**/*.ts',
  '**/test-support/**/*.ts',
  '**/bench/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.nx/**',
      '**/.kelly/**',
      '**/dist/**',
      '**/next-env.d.ts',
      'libs/tracking/drizzle/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'tools/scripts/fixtures/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
    },
  },
  // No import cycles, inside a project or across projects (tested in tools/scripts/import-cycles.test.ts).
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX, kelly },
    settings: {
      // import-x follows only .js files unless told: read .ts/.tsx with the TypeScript parser.
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    // import-x/no-cycle reports value (run-time) cycles; kelly/no-import-cycle also counts type-only imports.
    rules: { 'import-x/no-cycle': 'error', 'kelly/no-import-cycle': 'error' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
