/**
 * `npm start`: the dashboard (production build, 127.0.0.1:3000) and the legacy watcher together,
 * on the embedded SQLite store in KELLY_HOME (default ./.kelly). Ctrl-C stops both.
 * The watcher watches KELLY_LEGACY_DIR (default <KELLY_HOME>/legacy-logs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function main(): void {
  const home = resolve(process.env.KELLY_HOME ?? '.kelly');
  const legacyDir = resolve(process.env.KELLY_LEGACY_DIR ?? join(home, 'legacy-logs'));
  mkdirSync(legacyDir, { recursive: true });
  const env = { ...process.env, KELLY_HOME: home, NEXT_TELEMETRY_DISABLED: '1' };
  // the one-machine set-up: its watcher writes the store its dashboard reads, even where KELLY_TRACKING_URI is set
  // for trainers (with it, the watcher would send to that server instead)
  const watcherEnv: NodeJS.ProcessEnv = { ...env };
  delete watcherEnv.KELLY_TRACKING_URI;
  const children: ChildProcess[] = [
    spawn('npx', ['nx', 'run', 'dashboard:start'], { stdio: 'inherit', env }),
    spawn('npx', ['nx', 'run', 'legacy-watcher:watch', '--', '--dir', legacyDir], {
      stdio: 'inherit',
      env: watcherEnv,
    }),
  ];
  const stop = (signal: NodeJS.Signals) => {
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let exited = 0;
  for (const c of children)
    c.on('exit', (code) => {
      exited++;
      if (code && code !== 0) {
        process.exitCode = code;
        stop('SIGTERM');
      }
      if (exited === children.length) process.exit();
    });
}

if (import.meta.url === `file://${process.argv[1]}`) main();
