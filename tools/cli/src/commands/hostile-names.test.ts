/**
 * Folder and file names a shell user meets (spaces, unicode, leading dashes) through the real `kelly` binary:
 * a folder named `-logs é ü` is read after `--` (and as `./-logs é ü`), never taken for an option; files with such
 * names are imported; a symbolic link is reported as skipped in the JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTrainRun } from '@kelly/legacy';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/kelly.mjs');
const root = mkdtempSync(join(tmpdir(), 'kelly-cli-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const kelly = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, '--home', join(root, 'home'), ...args], { cwd, encoding: 'utf8' });

describe('kelly ingest with hostile names', () => {
  const folder = '-logs é ü';
  const names = ['--help.json', '- run 1.json', '日本語 ログ.json'];
  mkdirSync(join(root, folder));
  names.forEach((n, i) => writeFileSync(join(root, folder, n), syntheticTrainRun({ index: 40 + i })));
  writeFileSync(join(root, 'outside.json'), syntheticTrainRun({ index: 50 }));
  symlinkSync(join(root, 'outside.json'), join(root, folder, '-link.json'));

  it('reads a folder named with a leading dash after `--`, and imports every file by its name', () => {
    const r = kelly(root, 'ingest', '--json', '--', folder);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      files: { path: string; outcome: string }[];
      skipped: { path: string; reason: string }[];
    };
    expect(doc.files.map((f) => [f.path, f.outcome]).sort()).toEqual(
      names.map((n) => [n, 'imported']).sort(),
    );
    expect(doc.skipped).toEqual([
      { path: '-link.json', reason: expect.stringMatching(/^a symbolic link: not followed/) },
    ]);
  });

  it('reads it as ./-logs too; without `--` the name is refused as an unknown option (exit 2), not misread', () => {
    const again = kelly(root, 'ingest', `./${folder}`);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(
      /^3 file\(s\) in .*-logs é ü: 3 imported, .*\(3 unchanged since the last pass\); 1 skipped/m,
    );
    const bare = kelly(root, 'ingest', folder);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/unknown option '-logs é ü'|unknown option/);
  });
});
