// Worker-thread entry: runs WorkerTasks posted by WorkerPool. Modules load lazily per task type, so a pool that
// only extracts log-mel from arrays starts fast (no wasm decoders, no piano samples).
import { parentPort } from 'node:worker_threads';
import type { WorkerResult, WorkerTask } from './worker-messages';

async function run(task: WorkerTask): Promise<{ result: WorkerResult; transfer: ArrayBuffer[] }> {
  if (task.type === 'piano') {
    const { primePianoCache } = await import('../synth/piano-sampler');
    primePianoCache(task.samples);
    return { result: { type: 'ok' }, transfer: [] };
  }
  if (task.type === 'clips') {
    const { makeClips } = await import('../datasets/synth-clips');
    const examples = await makeClips(task.kind, task.options, task.indices);
    return {
      result: { type: 'clips', examples },
      transfer: examples.flatMap((e) => [e.x.buffer as ArrayBuffer, e.y.buffer as ArrayBuffer]),
    };
  }
  const { logMel } = await import('../dsp/log-mel');
  const features = [];
  for (const input of task.inputs) {
    if (typeof input === 'string') {
      const { readAudio } = await import('../audio/read-audio');
      features.push(logMel((await readAudio(input)).samples));
    } else features.push(logMel(input));
  }
  return {
    result: { type: 'logmel', features },
    transfer: features.map((f) => f.data.buffer as ArrayBuffer),
  };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: WorkerTask) => {
    run(task).then(
      ({ result, transfer }) => port.postMessage(result, transfer),
      (e: unknown) =>
        port.postMessage({
          type: 'error',
          message: (e as Error).message ?? String(e),
          stack: (e as Error).stack,
        } satisfies WorkerResult),
    );
  });
}
