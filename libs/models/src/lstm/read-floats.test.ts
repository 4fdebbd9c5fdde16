import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { readFloats } from './read-floats';

const previous = tf.getBackend();
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

describe('readFloats', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`gives the tensor's values on ${backend}`, async () => {
      await tf.setBackend(backend);
      const t = tf.tidy(() => tf.sigmoid(tf.linspace(-3, 3, 1000)));
      const expected = Array.from(t.dataSync());
      const got = readFloats(t, (v) => ({
        values: Array.from(v),
        heapView: v.buffer.byteLength > v.byteLength,
      }));
      expect(got.values).toEqual(expected);
      // wasm: a view of the heap, no copy (a copy's buffer is exactly the tensor's size)
      expect(got.heapView).toBe(backend === 'wasm');
      t.dispose();
    });
  }
});
