/**
 * Real training runs for the browser tests: the trainer CLI in child processes (an app never imports another),
 * on a given KELLY_HOME, several lanes at once (each lane runs its trainings one after the other).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../../..');

/** Trains once; resolves with the run id the trainer prints, rejects with the end of its output. */
export function train(home: string, args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/trainer/src/main.ts', ...args, '--home', home, '--progress', 'lines'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      const id = /run (\S+) started/.exec(out)?.[1];
      if (code === 0 && id) done(id);
      else fail(new Error(`trainer ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`));
    });
  });
}

/** Runs lanes in parallel, each lane's trainings in order; returns the run ids in the order given. */
export async function trainLanes(home: string, lanes: readonly (readonly string[])[][]): Promise<string[][]> {
  return Promise.all(
    lanes.map(async (lane) => {
      const ids: string[] = [];
      for (const args of lane) ids.push(await train(home, args));
      return ids;
    }),
  );
}
