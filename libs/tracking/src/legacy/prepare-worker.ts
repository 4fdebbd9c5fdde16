// Worker-thread entry of PreparePool: reads and prepares batches of legacy files (see loadAndPrepare).
import { parentPort } from 'node:worker_threads';
import { loadAndPrepare } from './load-legacy-file';
import type { PrepareReply, PrepareRequest } from './prepare-pool';

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: PrepareRequest) => {
    loadAndPrepare(req.root, req.paths).then(
      (loaded) => port.postMessage({ id: req.id, loaded } satisfies PrepareReply),
      (e: unknown) =>
        port.postMessage({
          id: req.id,
          error: e instanceof Error ? e.message : String(e),
        } satisfies PrepareReply),
    );
  });
}
