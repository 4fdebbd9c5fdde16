import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WATCHER_ENTRY, WATCHER_NODE_FLAGS } from '../src/node-flags';

describe('legacy-watcher nx target', () => {
  it('starts the watcher with the V8 flags the memory bench measured', () => {
    const project = JSON.parse(
      readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../project.json'), 'utf8'),
    );
    const command: string = project.targets.watch.options.command;
    expect(command).toBe(`node ${WATCHER_NODE_FLAGS.join(' ')} ${WATCHER_ENTRY}`);
  });
});
