import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToRtneural } from '../rtneural/export';
import { createEmotionNodeClassifier, emotionNodeLoss, EMOTION_NODE_SLICES } from './emotion-node-classifier';
import { hierarchicalHeads } from './hierarchical-heads';
import { foldComposition, hierarchyComposition } from './hierarchy-composition';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LEVELS = { base: 6, sub: 6, leaf: 6 };

describe('factorised emotion-node heads', () => {
  const c = hierarchyComposition(LEVELS, 1);
  const col = (o: number) => Array.from({ length: c.factors }, (_, f) => c.matrix[f * c.outputs + o]!);
  const factorsOf = (o: number) => col(o).flatMap((v, f) => (v ? [f] : []));

  it('composes node = base + sub + leaf terms, sub = base + sub terms, base = its own term', () => {
    expect([c.factors, c.outputs]).toEqual([6 + 6 + 36 + 6 + 216 + 1, 259]);
    const g = c.groups;
    // node (b=2, s=4, l=5) = 2·36 + 4·6 + 5 = 101
    expect(factorsOf(101)).toEqual([
      g.base[0] + 2,
      g.subShared[0] + 4,
      g.subResidual[0] + 16,
      g.leafShared[0] + 5,
      g.nodeResidual[0] + 101,
    ]);
    expect(factorsOf(216 + 2)).toEqual([g.base[0] + 2]); // base 2
    expect(factorsOf(222 + 16)).toEqual([g.base[0] + 2, g.subShared[0] + 4, g.subResidual[0] + 16]);
    expect(factorsOf(258)).toEqual([g.extra[0]]);
    // every node's logit contains its own sub-emotion's logit: the hierarchy is in the heads
    for (let n = 0; n < 216; n++) {
      const sub = 222 + Math.floor(n / 6);
      expect(factorsOf(sub).every((f) => factorsOf(n).includes(f))).toBe(true);
    }
  });

  it('refuses impossible levels', () => {
    expect(() => hierarchyComposition({ base: 6, sub: 0, leaf: 6 }, 1)).toThrow(
      /sub must be a positive integer/,
    );
  });

  it('the layer equals one dense with the folded kernel, and starts with zero residual factors', () => {
    const layer = hierarchicalHeads({ levels: LEVELS, extra: 1, seed: 3 });
    const x = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 4);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 5, 259]);
    const [kernel, bias] = layer.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const g = c.groups;
    for (const row of kernel) {
      expect(row.slice(g.subResidual[0], g.subResidual[1]).every((v) => v === 0)).toBe(true);
      expect(row.slice(g.nodeResidual[0], g.nodeResidual[1]).every((v) => v === 0)).toBe(true);
      expect(row.slice(g.base[0], g.base[1]).some((v) => v !== 0)).toBe(true);
    }
    const folded = foldComposition(c, kernel, bias);
    const expected = tf.add(
      tf.matMul(tf.reshape(x, [10, 7]), tf.tensor2d(folded.kernel)),
      tf.tensor1d(folded.bias),
    );
    expect(tf.max(tf.abs(tf.sub(tf.reshape(y, [10, 259]), expected))).arraySync()).toBeLessThan(1e-5);
    tf.dispose([x, y, expected]);
  });

  it('gradients reach the residual factors, and a step leaks no tensors', () => {
    const model = createEmotionNodeClassifier({ inputBands: 5, lstm1Units: 4, lstm2Units: 3, seed: 1 });
    const x = tf.randomNormal([2, 6, 5], 0, 1, 'float32', 7);
    const target = tf.tidy(() => {
      const v = new Float32Array(259);
      v[101] = 1;
      v[216 + 2] = 1;
      v[222 + 16] = 1;
      v[258] = 0.4;
      return tf.tile(tf.tensor3d(v, [1, 1, 259]), [2, 6, 1]);
    });
    const heads = model.getLayer('heads');
    tf.dispose(model.apply(x) as tf.Tensor); // builds the layers (their variables are not a leak)
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => emotionNodeLoss(target, model.apply(x) as tf.Tensor));
    const kernelGrad = grads[heads.trainableWeights[0]!.originalName]!.arraySync() as number[][];
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    const g = c.groups;
    expect(kernelGrad.some((row) => row[g.nodeResidual[0] + 101] !== 0)).toBe(true);
    expect(kernelGrad.some((row) => row[g.subResidual[0] + 16] !== 0)).toBe(true);
    tf.dispose([x, target]);
    model.dispose();
  });

  it('exports as one linear dense of 259 outputs', () => {
    const model = createEmotionNodeClassifier({ inputBands: 5, lstm1Units: 4, lstm2Units: 3, seed: 2 });
    const last = exportToRtneural(model).layers.at(-1)!;
    expect(last).toMatchObject({ type: 'dense', activation: '', shape: [null, null, 259] });
    expect(EMOTION_NODE_SLICES.intensity.end).toBe(259);
    model.dispose();
  });
});
