import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay, applied to kernels only (names containing 'kernel'); 0 disables. */
  weightDecay?: number;
  /** Clip the global gradient norm to this value before the update; 0 disables. */
  clipNorm?: number;
}

/**
 * Adam with decoupled weight decay (AdamW), with an explicit learning rate per step (the trainer's
 * schedule) and state that can be saved and restored for `--resume`.
 * @see Loshchilov & Hutter, "Decoupled Weight Decay Regularization" (arXiv:1711.05101).
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
  /** Number of updates applied so far (t in the bias correction). */
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.weightDecay = options.weightDecay ?? 0;
    this.clipNorm = options.clipNorm ?? 0;
  }

  /** Applies one update to `vars` (keyed by variable name) from `grads` (same keys). Disposes nothing it does not own. */
  apply(vars: Map<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void {
    this.step++;
    const t = this.step;
    tf.tidy(() => {
      let scale: tf.Scalar | null = null;
      if (this.clipNorm > 0) {
        const sq = Object.values(grads).map((g) => tf.sum(tf.square(g)));
        const norm = tf.sqrt(tf.addN(sq));
        scale = tf.minimum<tf.Scalar>(tf.scalar(1), tf.div(this.clipNorm, tf.maximum(norm, 1e-12)));
      }
      const c1 = 1 - this.beta1 ** t;
      const c2 = 1 - this.beta2 ** t;
      for (const [name, w] of vars) {
        const raw = grads[name];
        if (raw === undefined) continue;
        const g = scale === null ? raw : tf.mul(raw, scale);
        const m = this.slot(this.m, name, w);
        const v = this.slot(this.v, name, w);
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        const decay = this.weightDecay > 0 && name.includes('kernel') ? tf.mul(w, this.weightDecay) : null;
        const delta = decay === null ? update : tf.add(update, decay);
        w.assign(tf.sub(w, tf.mul(delta, lr)));
      }
    });
  }

  private slot(map: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable {
    let s = map.get(name);
    if (s === undefined) {
      const zeros = tf.zerosLike(like);
      s = tf.variable(zeros, false);
      zeros.dispose();
      map.set(name, s);
    }
    return s;
  }

  /** State as named tensors (`m/<name>`, `v/<name>`) plus the step count; tensors are the live slots (do not dispose). */
  getState(): { step: number; tensors: tf.NamedTensorMap } {
    const tensors: tf.NamedTensorMap = {};
    for (const [k, s] of this.m) tensors[`m/${k}`] = s;
    for (const [k, s] of this.v) tensors[`v/${k}`] = s;
    return { step: this.step, tensors };
  }

  /** Restores a state from {@link getState}; copies the tensors (caller keeps ownership of them). */
  setState(state: { step: number; tensors: tf.NamedTensorMap }): void {
    this.dispose();
    this.step = state.step;
    for (const [key, t] of Object.entries(state.tensors)) {
      const slash = key.indexOf('/');
      const map = key.slice(0, slash) === 'm' ? this.m : this.v;
      const copy = t.clone();
      map.set(key.slice(slash + 1), tf.variable(copy, false));
      copy.dispose();
    }
  }

  dispose(): void {
    for (const s of this.m.values()) s.dispose();
    for (const s of this.v.values()) s.dispose();
    this.m.clear();
    this.v.clear();
  }
}
