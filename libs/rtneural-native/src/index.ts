/**
 * @kelly/rtneural-native: runs models in the real RTNeural C++ library (the plugin's runtime) through a small
 * runner built on demand with the system C++ compiler against an RTNeural checkout. It only spawns processes:
 * no tfjs, no store. See README.md.
 */
export { NATIVE_ENV, readNativeEnv, type NativeEnv } from './env';
export {
  resolveToolchain,
  NativeUnavailableError,
  HOW_TO_PROVIDE,
  CHECKOUT_PARTS,
  type Toolchain,
  type ToolchainOptions,
} from './toolchain';
export {
  ensureRunner,
  buildHash,
  compileArgs,
  NativeBuildError,
  RUNNER_SOURCE,
  COMPILE_FLAGS,
  type RunnerBinary,
  type EnsureOptions,
} from './build';
export { encodeInput, decodeOutput, type Clip, type RunnerOutput } from './frames-file';
export {
  runRunner,
  type RunOptions,
  type RunnerStage,
  type RunnerLayer,
  type RunnerFailure,
  type RunnerSuccess,
} from './run-runner';
export { HELD_OUT_FORMAT, HeldOutSchema, checkHeldOut, readHeldOut, type HeldOut } from './held-out';
export { quantile, summarizeTiming, type NativeTiming } from './timing';
export {
  checkNativeModel,
  judgeNative,
  NATIVE_TIMED_FRAMES,
  NATIVE_WARMUP_FRAMES,
  type NativeCheckOutcome,
  type NativeCheckOptions,
  type NativeRan,
  type NativeFailed,
  type NativeUnavailable,
  type NativeLimits,
  type NativeVerdict,
} from './native-check';
