// Worker-thread entry: runs WorkerTasks posted by WorkerPool. Loaded through tsx (execArgv), no side effects
// beyond answering messages.
import { parentPort } from 'node:worker_threads';
import { readAudio } from '../audio/read-audio';
import { makeClips } from '../datasets/synth-clips';
import { logMel } from '../dsp/log-mel';
import type { WorkerResult, WorkerTask } from './worker-messages';

async function run(task: WorkerTask): Promise<{ result: WorkerResult; transfer: ArrayBuffer[] }> {
  if (task.type === 'clips') {
    const examples = await makeClips(task.kind, task.options, task.indices);
    return { result: { type: 'clips', examples }, transfer: examples.flatMap((e) => [e.x.buffer as ArrayBuffer, e.y.buffer as ArrayBuffer]) };
  }
  const features = [];
  for (const input of task.inputs) features.push(logMel(typeof input === 'string' ? (await readAudio(input)).samples : input));
  return { result: { type: 'logmel', features }, transfer: features.map((f) => f.data.buffer as ArrayBuffer) };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: WorkerTask) => {
    run(task).then(
      ({ result, transfer }) => port.postMessage(result, transfer),
      (e: unknown) => port.postMessage({ type: 'error', message: (e as Error).message ?? String(e), stack: (e as Error).stack } satisfies WorkerResult),
    );
  });
}
