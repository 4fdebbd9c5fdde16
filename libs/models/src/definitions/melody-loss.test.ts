import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { melodyLoss } from './melody-transformer';

beforeAll(async () => {
  await selectBackend();
});

/** One clip, one pitch: the target roll over frames, and p = 0.5 everywhere (every term is ln 2 times its weight). */
function lossOf(roll: number[], weights: Parameters<typeof melodyLoss>[2]): number {
  return tf.tidy(() => {
    const y = tf.tensor3d(roll, [1, roll.length, 1]);
    const p = tf.fill([1, roll.length, 1], 0.5);
    return melodyLoss(y, p, weights).dataSync()[0]!;
  });
}

describe('melodyLoss weights', () => {
  it("weights note-on terms by positiveWeight, a note's first frame by + onsetWeight, the frame after it by + offsetWeight", () => {
    const ln2 = Math.log(2);
    // frames: off, onset, on, offset, off
    const roll = [0, 1, 1, 0, 0];
    expect(lossOf(roll, 1)).toBeCloseTo(ln2, 5);
    expect(lossOf(roll, 3)).toBeCloseTo((ln2 * (1 + 3 + 3 + 1 + 1)) / 5, 5);
    expect(lossOf(roll, { positiveWeight: 3, onsetWeight: 4 })).toBeCloseTo(
      (ln2 * (1 + 7 + 3 + 1 + 1)) / 5,
      5,
    );
    expect(lossOf(roll, { positiveWeight: 3, onsetWeight: 4, offsetWeight: 2 })).toBeCloseTo(
      (ln2 * (1 + 7 + 3 + 3 + 1)) / 5,
      5,
    );
    // a note sounding at frame 0 starts there
    expect(lossOf([1, 1, 0], { positiveWeight: 1, onsetWeight: 2 })).toBeCloseTo((ln2 * (3 + 1 + 1)) / 3, 5);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    lossOf([0, 1, 1, 0], { positiveWeight: 3, onsetWeight: 4, offsetWeight: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
