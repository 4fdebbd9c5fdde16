import { describe, expect, it } from 'vitest';
import { spawnWatched } from './child-process';

describe('spawnWatched', () => {
  it('resolves with the match once the line arrives, and reports the exit', async () => {
    const c = spawnWatched(
      ['-e', "console.log('ready'); process.stdin.once('data', () => console.log('got 42'))"],
      {
        stdin: true,
      },
    );
    await c.waitFor(/ready/);
    expect(c.output().stdout).not.toContain('got');
    c.proc.stdin.end('go\n');
    expect((await c.waitFor(/got (\d+)/))[1]).toBe('42');
    expect(await c.exited).toMatchObject({ code: 0, signal: null });
  });

  it('finds a literal string on stderr too', async () => {
    const c = spawnWatched(['-e', "console.error('warn: a.b (c)')"]);
    await expect(c.waitFor('a.b (c)')).resolves.toBeTruthy();
    await expect(c.waitFor(/a\.b/)).rejects.toThrow(/exited \(code 0/); // a RegExp looks at stdout only
  });

  it('rejects, quoting both streams, when the child exits first', async () => {
    const c = spawnWatched(['-e', "console.log('out-text'); console.error('err-text'); process.exit(3)"], {
      name: 'failing-child',
    });
    const e = await c.waitFor(/never/).catch((x: Error) => x);
    expect(String(e)).toMatch(/failing-child exited \(code 3[\s\S]*out-text[\s\S]*err-text/);
    expect((await c.exited).code).toBe(3);
  });

  it('rejects after its timeout while the child stays silent', async () => {
    const c = spawnWatched(['-e', "process.stdin.once('data', () => {})"], { stdin: true });
    await expect(c.waitFor(/anything/, 150)).rejects.toThrow(/ran 150 ms/);
    c.proc.stdin.end('x');
    expect((await c.exited).code).toBe(0);
  });
});
