import { execFileSync } from 'node:child_process';

/** `git rev-parse HEAD` of the working directory, or undefined outside a git checkout. */
export function gitCommit(cwd = process.cwd()): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}
