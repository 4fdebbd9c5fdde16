import * as tf from '@tensorflow/tfjs';

/**
 * Reusable Float32Array buffers of one FusedLSTM layer across training steps. A 313-frame step allocated ~46 MB
 * of fresh arrays per layer (gates, cell states, their gradients), which the kernel must fault in and zero and
 * V8 must collect; with two worker threads those page faults and unmaps also serialise on the process's memory
 * map. Buffers are claimed by a forward pass that records gradients until its backward pass releases them; a
 * second such forward before that (a layer applied twice in one model) gets fresh arrays, so it stays correct.
 * Inference passes reuse them without claiming (nothing of theirs is needed later).
 */
export class LstmScratch {
  private readonly buffers = new Map<string, Float32Array<ArrayBuffer>>();
  private claimed = false;

  /**
   * Buffers for one pass, reused when free: `zeros(name, length)` zero-filled, `scratch(name, length)` with any
   * contents (for arrays the caller overwrites entirely). Call `release` when the backward pass is done.
   */
  begin(): {
    zeros(name: string, length: number): Float32Array<ArrayBuffer>;
    scratch(name: string, length: number): Float32Array<ArrayBuffer>;
    release(): void;
  } {
    const recording = (tf.engine().state as { gradientDepth: number }).gradientDepth > 0;
    const reuse = !this.claimed;
    if (reuse && recording) this.claimed = true;
    let released = false;
    const get = (name: string, length: number, zero: boolean) => {
      if (!reuse) return new Float32Array(length);
      let b = this.buffers.get(name);
      if (b?.length !== length) this.buffers.set(name, (b = new Float32Array(length)));
      else if (zero) b.fill(0);
      return b;
    };
    return {
      zeros: (name, length) => get(name, length, true),
      scratch: (name, length) => get(name, length, false),
      release: () => {
        if (reuse && recording && !released) this.claimed = false;
        released = true;
      },
    };
  }
}
