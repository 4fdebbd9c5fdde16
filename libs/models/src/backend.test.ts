import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { assertTrainableBackend, CpuBackendRefusedError, selectBackend } from './backend';

describe('selectBackend', () => {
  it('picks tfjs-node when installed, else wasm, and reports what ran', async () => {
    const info = await selectBackend();
    expect(['tensorflow', 'wasm']).toContain(info.backend);
    expect(tf.getBackend()).toBe(info.backend);
    expect(info.tfjsVersion).toBe(tf.version.tfjs);
    expect(info.node).toBe(process.version);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.cores).toBeGreaterThanOrEqual(1);
  });

  it("refuses to train on the pure-JS 'cpu' backend with an error that says why", async () => {
    await tf.setBackend('cpu');
    expect(() => assertTrainableBackend()).toThrow(CpuBackendRefusedError);
    expect(() => assertTrainableBackend()).toThrow(/'cpu'/);
    await selectBackend({ prefer: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(() => assertTrainableBackend()).not.toThrow();
  });
});
