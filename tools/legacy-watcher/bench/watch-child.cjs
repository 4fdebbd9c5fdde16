// The ingest bench's watch child, started with WATCHER_NODE_FLAGS like the watcher process (watch-process.cjs).
const { watchChild } = require('./watch-child.ts');

watchChild(process.argv[2], process.argv[3]).catch((e) => {
  process.stderr.write(`watch child: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
