// Process entry of the watcher (nx target `watch`, so `npm start` too), started with WATCHER_NODE_FLAGS, which
// load TypeScript through tsx's in-thread require hook (`--require tsx/cjs`). Node 20 runs ESM loader hooks
// (`--import tsx`) in an extra thread with its own V8 heap: ~15-20 MB more RSS for the same watcher.
const { main } = require('./main.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
});
