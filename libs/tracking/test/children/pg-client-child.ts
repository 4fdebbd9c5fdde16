/**
 * A child process for pg-sync-client.pg.test.ts. Modes:
 * - `increment <url> <n>`: waits at the gate (advisory lock 7, held by the test until every child waits), then n
 *   times, in an immediate transaction, reads the counter and writes it + 1 (a lost update shows as a final count
 *   below the sum of the children's n); prints `done`.
 * - `leave-open <url>`: runs one query and returns without closing the client (the process must still exit).
 */
import { pathToFileURL } from 'node:url';
import { PgSyncClient } from '../../src/db/pg-sync-client';

function main(argv: string[]): void {
  const [mode, url, n] = argv;
  if (!url) throw new Error('usage: pg-client-child increment|leave-open <url> [n]');
  const client = new PgSyncClient(url);
  if (mode === 'increment') {
    const read = client.prepare(`SELECT n FROM counter WHERE id = 1`).pluck();
    const write = client.prepare(`UPDATE counter SET n = ? WHERE id = 1`);
    client.prepare(`SELECT pg_advisory_lock_shared(7), pg_advisory_unlock_shared(7)`).get();
    for (let i = 0; i < Number(n); i++)
      client
        .transaction(() => {
          const v = read.get() as number;
          write.run(v + 1);
        })
        .immediate();
    client.close();
    process.stdout.write('done\n');
  } else if (mode === 'leave-open') {
    process.stdout.write(`${String(client.prepare('SELECT 41 + 1').pluck().get())}\n`);
  } else throw new Error(`unknown mode ${mode}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
