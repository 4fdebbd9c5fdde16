// A runner that crashes or hangs is a failure with a reason, never a wait: real processes (shell scripts
// standing in for a broken binary) killed by a signal or by the time limit.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRunner } from '../src/run-runner';

const tmp = mkdtempSync(join(tmpdir(), 'kelly-native-fail-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = join(tmp, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('runRunner with a broken runner', () => {
  it('a hang is killed at the time limit and reported as a timeout', async () => {
    const started = Date.now();
    const r = await runRunner({
      binary: script('hang', 'exec sleep 60'),
      modelPath: 'm.json',
      timeoutMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r).toMatchObject({
      ok: false,
      stage: 'timeout',
      message: 'the runner did not finish within 500 ms and was killed',
    });
  });

  it('a crash is reported with the signal and the last thing RTNeural printed', async () => {
    const r = await runRunner({
      binary: script('segv', 'echo "Layer: dense"\necho "  activation: swish"\nkill -SEGV $$'),
      modelPath: 'm.json',
    });
    expect(r).toMatchObject({ ok: false, stage: 'crash', signal: 'SIGSEGV' });
    expect(!r.ok && r.message).toBe(
      'the runner crashed (SIGSEGV) after RTNeural printed "activation: swish"',
    );
  });

  it('an exit without a report is an io failure quoting stderr', async () => {
    const r = await runRunner({ binary: script('quiet', 'echo "boom" >&2\nexit 7'), modelPath: 'm.json' });
    expect(r).toMatchObject({ ok: false, stage: 'io', exitCode: 7 });
    expect(!r.ok && r.message).toBe('the runner exited 7 without a readable report: boom');
  });

  it('a missing binary is an io failure, not an exception', async () => {
    const r = await runRunner({ binary: join(tmp, 'nope'), modelPath: 'm.json' });
    expect(r).toMatchObject({ ok: false, stage: 'io' });
  });
});
