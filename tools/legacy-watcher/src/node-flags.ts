/**
 * How the watcher process starts (the nx `watch` target repeats it; a test keeps the two equal).
 * The watcher holds one fs.watch per folder; a small young generation and a bounded old space make V8 collect
 * the walk's garbage early; --expose-gc lets watchLegacyDir collect the initial import's garbage before
 * the watch starts; and TypeScript loads through tsx's in-thread require hook instead of an ESM loader thread.
 * Measured with 10,000 files (bench/ingest.bench.ts, peak RSS incl. the initial import): 199-200 MB with only
 * the first two flags, 193-198 MB with the collection, see the bench for the current figure.
 * Raise --max-old-space-size for folders beyond ~100,000 files.
 */
export const WATCHER_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--max-old-space-size=512',
  '--expose-gc',
  '--require',
  'tsx/cjs',
] as const;

/** The watcher's process entry (CommonJS: see watch-process.cjs). */
export const WATCHER_ENTRY = 'tools/legacy-watcher/src/watch-process.cjs';
