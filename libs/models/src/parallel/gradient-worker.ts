/**
 * Body of one gradient worker thread (started through worker-entry.mjs). Builds the model from its
 * ModelSpec, then for every step: loads the shared weights, computes its shard's loss and gradients
 * and writes them into its shared gradient region. See parallel-trainer.ts for the protocol.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parentPort, workerData } from 'node:worker_threads';
import type { StepRequest, WorkerInit, WorkerMessage } from './protocol';
import { resolveLoss, shardGradients, syncedWeights, weightLayout } from './shard-gradients';

async function setBackend(name: string): Promise<void> {
  if (name === 'tensorflow') {
    const tfjsNode = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ tfjsNode);
  }
  if (!(await tf.setBackend(name))) throw new Error(`worker: could not set tfjs backend '${name}'`);
  await tf.ready();
}

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('gradient-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  const send = (m: WorkerMessage) => port.postMessage(m);
  try {
    await setBackend(init.backend);
    const mod = (await import(/* @vite-ignore */ init.model.module)) as Record<string, unknown>;
    const factory = mod[init.model.exportName];
    if (typeof factory !== 'function') {
      throw new Error(`worker: ${init.model.module} has no function export '${init.model.exportName}'`);
    }
    const model = (await (factory as (a: unknown) => unknown)(init.model.args)) as tf.LayersModel;
    const synced = syncedWeights(model);
    const shapes = synced.map((w) => w.shape as number[]);
    const layoutMatches =
      JSON.stringify(shapes) === JSON.stringify(init.shapes) &&
      model.trainableWeights.length === init.trainable;
    if (!layoutMatches) {
      throw new Error(
        `worker: model from ${init.model.module}#${init.model.exportName} has weight shapes ` +
          `${JSON.stringify(shapes)} (${model.trainableWeights.length} trainable), the main thread's has ` +
          `${JSON.stringify(init.shapes)} (${init.trainable} trainable)`,
      );
    }
    const { sizes, offsets } = weightLayout(shapes);
    const weights = new Float32Array(init.weights);
    const grads = new Float32Array(init.grads);
    const weightViews = offsets.map((o, i) => weights.subarray(o, o + sizes[i]!));
    const gradViews = offsets.slice(0, init.trainable).map((o, i) => grads.subarray(o, o + sizes[i]!));
    const loss = await resolveLoss(init.loss);

    port.on('message', (req: StepRequest) => {
      try {
        synced.forEach((w, i) => {
          const t = tf.tensor(weightViews[i]!, shapes[i]);
          w.write(t);
          t.dispose();
        });
        const x = tf.tensor(req.x, req.xShape);
        const y = tf.tensor(req.y, req.yShape);
        const value = shardGradients(model, loss, x, y, gradViews);
        tf.dispose([x, y]);
        send({ type: 'grads', id: req.id, loss: value, count: req.xShape[0] ?? 0 });
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        send({ type: 'error', id: req.id, message: e.message, stack: e.stack });
      }
    });
    send({ type: 'ready' });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', message: e.message, stack: e.stack });
  }
}

void start();
