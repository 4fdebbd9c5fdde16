/**
 * V8 flags the watcher process runs with (the nx `watch` target repeats them; a test keeps the two equal).
 * chokidar holds one fs.watch per file; a small young generation and a bounded old space make V8 collect
 * the walk's garbage early, keeping a 10,000-file folder far under 200 MB peak RSS (see bench/ingest.bench.ts).
 * Raise --max-old-space-size for folders beyond ~100,000 files.
 */
export const WATCHER_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=512'] as const;
