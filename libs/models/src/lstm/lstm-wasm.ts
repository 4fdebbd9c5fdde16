import { setFlagsFromString } from 'node:v8';
import { LSTM_WASM_PLAIN, LSTM_WASM_RELAXED } from './wasm/lstm-wasm-binary';

/** The C functions of wasm/lstm.c; every pointer is a byte offset into `memory`. */
export interface LstmWasmExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  lstm_forward(
    B: number,
    T: number,
    D: number,
    H: number,
    x: number,
    W: number,
    U: number,
    bias: number,
    Wp: number,
    Up: number,
    xg: number,
    cells: number,
    tanhc: number,
    hs: number,
  ): void;
  lstm_backward(
    B: number,
    T: number,
    D: number,
    H: number,
    returnSeq: number,
    needDx: number,
    x: number,
    W: number,
    U: number,
    dOut: number,
    xg: number,
    cells: number,
    tanhc: number,
    hs: number,
    dz: number,
    dzp: number,
    UTp: number,
    WTp: number,
    dhRec: number,
    dcRec: number,
    hprev: number,
    dx: number,
    dW: number,
    dU: number,
    db: number,
  ): void;
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    lda: number,
    transA: number,
    Bp: number,
    C: number,
    ldc: number,
    acc: number,
  ): void;
  gemm_rowb(
    M: number,
    N: number,
    K: number,
    A: number,
    lda: number,
    transA: number,
    B: number,
    ldb: number,
    Bs: number,
    C: number,
    ldc: number,
    acc: number,
  ): void;
  pack_b(K: number, N: number, B: number, ldb: number, Bp: number): void;
  pack_bt(K: number, N: number, S: number, lds: number, Bp: number): void;
}

export type LstmWasmVariant = 'relaxed' | 'plain';

/**
 * One instance of the LSTM kernels (per thread: each worker loads its own) with a small allocator over its
 * memory. Offsets stay valid when the memory grows; Float32Array views do not (growing detaches the buffer),
 * so take views with `f32` only after the allocations they coexist with.
 */
export class LstmWasm {
  private top: number;
  private readonly freeBySize = new Map<number, number[]>();
  private readonly shared = new Map<string, { offset: number; floats: number }>();

  constructor(
    readonly exports: LstmWasmExports,
    /** 'relaxed': multiply-adds are f32x4.relaxed_madd (fused on FMA hardware); 'plain': mul + add. */
    readonly variant: LstmWasmVariant,
  ) {
    this.top = align(exports.__heap_base.value as number);
  }

  /** `floats` float32s, 16-byte aligned, contents undefined. */
  alloc(floats: number): number {
    const bytes = align(Math.max(1, floats) * 4);
    const reused = this.freeBySize.get(bytes)?.pop();
    if (reused !== undefined) return reused;
    const offset = this.top;
    this.top += bytes;
    const memory = this.exports.memory;
    const missing = this.top - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return offset;
  }

  free(offset: number, floats: number): void {
    const bytes = align(Math.max(1, floats) * 4);
    const list = this.freeBySize.get(bytes);
    if (list) list.push(offset);
    else this.freeBySize.set(bytes, [offset]);
  }

  /** A buffer for one call (this thread's calls never overlap), kept and reused by name across calls. */
  scratch(name: string, floats: number): number {
    const held = this.shared.get(name);
    if (held && held.floats >= floats) return held.offset;
    if (held) this.free(held.offset, held.floats);
    const offset = this.alloc(floats);
    this.shared.set(name, { offset, floats });
    return offset;
  }

  /** A view of `length` floats at `offset`, valid until the next allocation. */
  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, offset, length);
  }
}

const align = (bytes: number) => (bytes + 15) & ~15;

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(base64, 'base64'));

/**
 * Whether this V8 accepts relaxed SIMD. Node ≥ 22 does by default; Node 20 (V8 11.3) has it behind
 * --experimental-wasm-relaxed-simd, a process-wide V8 flag that this turns on when the relaxed module does
 * not validate as it is (it changes no other behaviour; worker threads share it).
 */
function relaxedSimdAvailable(bytes: Uint8Array<ArrayBuffer>): boolean {
  if (WebAssembly.validate(bytes)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}

const instances = new Map<LstmWasmVariant | 'auto', LstmWasm>();

/**
 * This thread's LSTM kernels: the relaxed-SIMD build when the engine takes it (`auto`), else the plain one;
 * `plain`/`relaxed` force one (tests compare them; `relaxed` throws where it cannot load).
 */
export function lstmWasm(want: LstmWasmVariant | 'auto' = 'auto'): LstmWasm {
  const cached = instances.get(want);
  if (cached) return cached;
  const relaxed = decode(LSTM_WASM_RELAXED);
  const variant: LstmWasmVariant =
    want === 'plain' ? 'plain' : want === 'relaxed' || relaxedSimdAvailable(relaxed) ? 'relaxed' : 'plain';
  const bytes = variant === 'relaxed' ? relaxed : decode(LSTM_WASM_PLAIN);
  if (variant === 'relaxed' && !relaxedSimdAvailable(bytes))
    throw new Error('lstmWasm: this JavaScript engine does not support WebAssembly relaxed SIMD');
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {});
  const wasm = new LstmWasm(instance.exports as unknown as LstmWasmExports, variant);
  instances.set(want, wasm);
  return wasm;
}
