import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveArtifactFile } from './artifact-file';

const home = mkdtempSync(join(tmpdir(), 'kelly-art-'));
const root = join(home, 'artifacts');
mkdirSync(join(root, 'run-1'), { recursive: true });
writeFileSync(join(root, 'run-1', 'model.json'), '{}');
writeFileSync(join(home, 'tracking.db'), 'secret');
symlinkSync(join(home, 'tracking.db'), join(root, 'run-1', 'escape.json'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('resolveArtifactFile', () => {
  it('serves a file inside the artifact root', () => {
    expect(resolveArtifactFile(root, 'run-1/model.json')).toBe(join(root, 'run-1', 'model.json'));
  });
  it.each([
    ['a parent escape', '../tracking.db'],
    ['a nested escape', 'run-1/../../tracking.db'],
    ['an absolute path', join(home, 'tracking.db')],
    ['a symlink pointing out', 'run-1/escape.json'],
    ['a directory', 'run-1'],
    ['a missing file', 'run-1/nope.json'],
    ['the root itself', '.'],
  ])('refuses %s', (_what, path) => {
    expect(resolveArtifactFile(root, path)).toBeNull();
  });
});
