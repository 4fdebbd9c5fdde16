import { spawn, type ChildProcess } from 'node:child_process';

export interface WatchedChildOptions {
  /** What the errors call the child (default: the script, its first argument that is not a flag or `tsx`). */
  name?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep stdin open as a pipe (default: ignored). */
  stdin?: boolean;
  /** Pass stderr through to this process instead of keeping it (benches). */
  inheritStderr?: boolean;
  /** Default wait for `waitFor`, ms (default 30 s). */
  timeoutMs?: number;
}

export interface WatchedChild {
  proc: ChildProcess & { stdin: NonNullable<ChildProcess['stdin']> };
  /** Everything printed so far: stdout, then stderr when it is kept. */
  output(): { stdout: string; stderr: string };
  /**
   * Resolves with the first match of `pattern` in stdout (a string matches literally, in stdout or stderr);
   * rejects, quoting both streams, if the child exits first or `timeoutMs` passes.
   */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the child exits, with its code, signal and stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Spawns `node <nodeArgs>` (this Node, so `--import tsx` children run TypeScript) with its output kept, and lets a
 * test wait for a line from it: the one way tests and benches here drive a child process they talk to.
 */
export function spawnWatched(nodeArgs: string[], opts: WatchedChildOptions = {}): WatchedChild {
  const name = opts.name ?? nodeArgs.find((a) => !a.startsWith('-') && a !== 'tsx') ?? 'child';
  const proc = spawn(process.execPath, nodeArgs, {
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', opts.inheritStderr ? 'inherit' : 'pipe'],
    ...(opts.env ? { env: opts.env } : {}),
  }) as WatchedChild['proc'];
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  proc.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    wake();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    wake();
  });
  let closed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) =>
    proc.on('close', (code, signal) => {
      closed = true;
      wake();
      resolve({ code, signal, err: stderr });
    }),
  );

  const waitFor = (pattern: RegExp | string, timeoutMs = opts.timeoutMs ?? 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const re = typeof pattern === 'string' ? new RegExp(escape(pattern)) : pattern;
      const find = () => stdout.match(re) ?? (typeof pattern === 'string' ? stderr.match(re) : null);
      const done = () => {
        waiters.delete(check);
        clearTimeout(timer);
      };
      const fail = (why: string) => {
        done();
        reject(new Error(`${name} ${why} before printing ${re}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      };
      const check = () => {
        const m = find();
        if (m) {
          done();
          resolve(m);
        } else if (closed) fail(`exited (code ${proc.exitCode}, signal ${proc.signalCode})`);
      };
      const timer = setTimeout(() => fail(`ran ${timeoutMs} ms`), timeoutMs);
      waiters.add(check);
      check();
    });

  return { proc, output: () => ({ stdout, stderr }), waitFor, exited };
}
