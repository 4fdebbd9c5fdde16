/**
 * Test child: a headless tracking server. argv: <home> <port> [staleAfterS] [store]
 * `store`: a SQLite file or a postgres:// URL (default <home>/tracking.db); artifacts go under <home> either way.
 * Prints `listening <url>` once it accepts connections; runs until killed.
 */
import { openTracker, serveTrackingApi } from '../../src/index';

async function main(argv: string[]): Promise<void> {
  const [home, port, stale, store] = argv.slice(2);
  const tracker = openTracker({
    home: home!,
    ...(store ? { path: store } : {}),
    staleAfterS: stale ? Number(stale) : 60,
    handleSignals: false,
  });
  const srv = await serveTrackingApi({ tracker, port: Number(port) });
  process.stdout.write(`listening ${srv.url}\n`);
}

void main(process.argv);
