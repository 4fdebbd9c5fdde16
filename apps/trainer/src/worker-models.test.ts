import * as tf from '@tensorflow/tfjs';
import { selectBackend, weightedMelodyLoss, type ParallelLossFn } from '@kelly/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerModel, workerLoss } from './worker-models';

beforeAll(async () => {
  await selectBackend();
});

/** What a gradient worker does with the description: import the module, call the factory with the args. */
async function rebuild(spec: ReturnType<typeof workerLoss>): Promise<ParallelLossFn> {
  if (typeof spec === 'string') throw new Error(`expected a module loss, got ${spec}`);
  const mod = (await import(spec.module)) as Record<string, (args: unknown) => ParallelLossFn>;
  return mod[spec.exportName]!(spec.args);
}

describe('worker losses and models', () => {
  it('describes the melody loss as plain data for any weights, and workers rebuild the same loss', async () => {
    const y = tf.tidy(() =>
      tf.cast(tf.greater(tf.randomUniform([2, 5, 128], 0, 1, 'float32', 1), 0.9), 'float32'),
    );
    const p = tf.randomUniform([2, 5, 128], 0.01, 0.99, 'float32', 2);
    const value = (fn: ParallelLossFn): number => tf.tidy(() => fn(y, p).dataSync()[0]!);
    const seen = new Set<number>();
    const weights = [
      { positiveWeight: 1, onsetWeight: 0, offsetWeight: 0 },
      { positiveWeight: 2.5, onsetWeight: 0, offsetWeight: 0 },
      { positiveWeight: 3, onsetWeight: 4, offsetWeight: 0 },
      { positiveWeight: 3, onsetWeight: 4, offsetWeight: 2 },
    ];
    for (const w of weights) {
      const spec = workerLoss('melody', w);
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // crosses threads as data
      const inWorker = value(await rebuild(spec));
      expect(inWorker).toBeCloseTo(value(weightedMelodyLoss(w)), 6);
      seen.add(Math.round(inWorker * 1e6));
    }
    expect(seen.size).toBe(4); // each set of weights gives its own loss
    tf.dispose([y, p]);
  });

  it('builds the worker model from shapes alone', () => {
    const model = buildWorkerModel({
      kind: 'groove',
      modelConfig: { lstm1Units: 4, lstm2Units: 3 },
      inputShape: [32, 2],
      outputShape: [32],
    });
    expect(model.outputs[0]!.shape).toEqual([null, null, 32]);
    model.dispose();
  });
});
