/**
 * `npm test`: lint, typecheck, then every project's vitest tests (unit, integration, real-browser),
 * ending with one plain line `tests: N passed, N failed[, N skipped]`.
 * Format (prettier --check), lint and typecheck each count as one test; the rest are vitest's own counts from its JSON report.
 * Exit code is non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

function step(label: string, cmd: string, args: string[]): boolean {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} ${ok ? 'passed' : `failed (exit ${r.status ?? r.signal})`}`);
  return ok;
}

export function main(argv: string[]): number {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const extra = argv.slice(2);
  if (!extra.includes('--no-static')) {
    // @nx/enforce-module-boundaries reads the cached project graph and silently skips itself when there is
    // none (a fresh clone): compute it first so lint really enforces the dependency direction.
    if (!step('project graph', 'npx', ['nx', 'show', 'projects'])) failed++;
    for (const [label, args] of [
      ['format', ['prettier', '--check', '.']],
      ['lint', ['eslint', '.', '--max-warnings=0']],
      ['typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
    ] as const) {
      if (step(label, 'npx', [...args])) passed++;
      else failed++;
    }
  }
  const out = join(mkdtempSync(join(tmpdir(), 'kelly-test-')), 'vitest.json');
  const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
  const vitestOk = step('vitest', 'npx', [...vitestArgs, ...extra.filter((a) => a !== '--no-static')]);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8')) as VitestReport;
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A suite that fails to load has no failed tests but is a failure all the same.
    if (!vitestOk && report.numFailedTests === 0) failed++;
  } else {
    console.log('✘ vitest wrote no report');
    failed++;
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv));
