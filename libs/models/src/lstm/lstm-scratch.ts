import * as tf from '@tensorflow/tfjs';
import type { LstmWasm } from './lstm-wasm';

/**
 * One FusedLSTM layer's buffers in the LSTM kernels' wasm memory, kept from its forward pass to its backward pass
 * (input, weights, gates, cell states, outputs) and reused from step to step. A forward pass that records
 * gradients claims them until its backward pass releases them; a second such forward before that (a layer
 * applied twice in one model) gets buffers of its own, freed by its backward pass, so it stays correct. Passes
 * that record nothing (inference) reuse the kept buffers when unclaimed, else take their own and free them at
 * the end of the pass (`end`).
 */
export class LstmScratch {
  private readonly kept = new Map<string, { offset: number; floats: number }>();
  private claimed = false;

  /** `region(name, floats)`: a buffer's byte offset; `release()` when the pass (and its backward) is done. */
  begin(wasm: LstmWasm): {
    recording: boolean;
    region(name: string, floats: number): number;
    release(): void;
  } {
    const recording = (tf.engine().state as { gradientDepth: number }).gradientDepth > 0;
    const reuse = !this.claimed;
    if (reuse && recording) this.claimed = true;
    const own: Array<{ offset: number; floats: number }> = [];
    let released = false;
    return {
      recording,
      region: (name, floats) => {
        if (!reuse) {
          const offset = wasm.alloc(floats);
          own.push({ offset, floats });
          return offset;
        }
        const held = this.kept.get(name);
        if (held && held.floats === floats) return held.offset;
        if (held) wasm.free(held.offset, held.floats);
        const offset = wasm.alloc(floats);
        this.kept.set(name, { offset, floats });
        return offset;
      },
      release: () => {
        if (released) return;
        released = true;
        for (const r of own) wasm.free(r.offset, r.floats);
        if (reuse && recording) this.claimed = false;
      },
    };
  }
}
