import * as tf from '@tensorflow/tfjs';
import { denseRows } from '../lstm/time-dense';
import {
  hierarchyComposition,
  type HierarchyComposition,
  type HierarchyLevels,
} from './hierarchy-composition';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface HierarchicalHeadsArgs extends LayerArgs {
  levels: HierarchyLevels;
  /** Outputs after the three heads that are not part of the hierarchy (intensity: 1). */
  extra: number;
  /** Seed of the glorotUniform kernel initialiser. */
  seed?: number;
}

/**
 * Factorised emotion-node heads, applied to every frame of [B, T, in] → [B, T, O] (linear logits), where
 * the node, base and sub outputs are composed from shared factors (see hierarchy-composition.ts): per step
 * the layer multiplies its factor kernel [in, F] by the fixed 0/1 composition [F, O] and applies the result
 * as one dense, so it costs a plain dense at training and exports as one (the exporter folds the same way).
 * Residual factors (sub-emotion and node) start at zero: training starts from the factorised model.
 * Weights: 0. `<name>/kernel` [in, F]   1. `<name>/bias` [F].
 */
export class HierarchicalHeads extends tf.layers.Layer {
  static className = 'HierarchicalHeads';
  readonly levels: HierarchyLevels;
  readonly extra: number;
  readonly seed: number | undefined;
  readonly composition: HierarchyComposition;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: HierarchicalHeadsArgs) {
    super(args);
    this.levels = { base: args.levels.base, sub: args.levels.sub, leaf: args.levels.leaf };
    this.extra = args.extra;
    this.seed = args.seed;
    this.composition = hierarchyComposition(this.levels, this.extra);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null)
      throw new Error(`HierarchicalHeads: last input dimension must be known, got [${shape.join(', ')}]`);
    const F = this.composition.factors;
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, F],
      'float32',
      tf.initializers.glorotUniform({ seed: this.seed }),
      undefined,
      true,
    );
    this.bias = this.addWeight('bias', [F], 'float32', tf.initializers.zeros(), undefined, true);
    const { subResidual, nodeResidual } = this.composition.groups;
    const keep = tf.tidy(() => {
      const mask = new Float32Array(F).fill(1);
      mask.fill(0, subResidual[0], subResidual[1]);
      mask.fill(0, nodeResidual[0], nodeResidual[1]);
      return tf.mul(this.kernel!.read(), tf.tensor1d(mask));
    });
    this.kernel.write(keep);
    keep.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.composition.outputs];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs)!;
    if (!this.kernel || !this.bias) throw new Error('HierarchicalHeads: call before build');
    const c = this.composition;
    const k = this.kernel.read() as tf.Tensor2D;
    const b = this.bias.read() as tf.Tensor1D;
    return tf.tidy(() => {
      const p = tf.tensor2d(c.matrix, [c.factors, c.outputs]);
      const w: tf.Tensor2D = tf.matMul(k, p);
      const bias = tf.reshape<tf.Rank.R1>(tf.matMul(tf.reshape(b, [1, -1]), p), [-1]);
      const inDim = x.shape[x.shape.length - 1]!;
      const rows = tf.reshape<tf.Rank.R2>(x, [-1, inDim]);
      return tf.reshape(denseRows(rows, w, bias), [...x.shape.slice(0, -1), c.outputs]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      levels: { ...this.levels },
      extra: this.extra,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...config, ...super.getConfig() };
  }

  override getClassName(): string {
    return HierarchicalHeads.className;
  }
}
tf.serialization.registerClass(HierarchicalHeads);

export function hierarchicalHeads(args: HierarchicalHeadsArgs): HierarchicalHeads {
  return new HierarchicalHeads(args);
}
