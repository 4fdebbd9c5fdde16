import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's backend that hold a tensor's bytes on the wasm heap. */
interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number | null; dtype: string } | undefined };
}

/**
 * Calls `use` with a float32 tensor's values without allocating: on the wasm backend a view of the wasm heap
 * (valid only during `use`: no tfjs call may run inside it, since one could grow the heap), elsewhere
 * `dataSync()`. Per LSTM timestep this replaces a fresh 16-64 KB array (dataSync on wasm copies), which kept
 * V8's GC busy on a second core during training.
 */
export function readFloats<R>(t: tf.Tensor, use: (values: Float32Array) => R): R {
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const b = tf.backend() as unknown as WasmHeapBackend;
    const info = b.dataIdMap.get(t.dataId);
    if (info?.memoryOffset != null && info.dtype === 'float32')
      return use(new Float32Array(b.wasm.HEAPU8.buffer, info.memoryOffset, t.size));
  }
  return use(t.dataSync() as Float32Array);
}
