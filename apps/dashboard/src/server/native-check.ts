import type { NativeRtneuralCheck, NativeRtneuralOutcome } from '@kelly/registry';
import { readEnv } from '../env';

/** The slice of @kelly/rtneural-native this module uses (typed here: loaded at run time, not bundled). */
interface NativeModule {
  checkNativeModel(opts: {
    modelPath: string;
    heldOut: string;
    env: Record<string, string | undefined>;
  }): Promise<NativeRtneuralOutcome>;
}

/**
 * The native-rtneural gate's check for promotions from the dashboard, injected like the validator (the
 * registry never spawns the runner). Builds against KELLY_RTNEURAL_DIR with g++ (or CXX); loaded through tsx on
 * first use, like @kelly/models.
 */
export async function loadNativeCheck(): Promise<NativeRtneuralCheck> {
  const { tsImport } = (await import(/* turbopackIgnore: true */ 'tsx/esm/api')) as {
    tsImport: (specifier: string, parent: string) => Promise<unknown>;
  };
  const native = (await tsImport('@kelly/rtneural-native', import.meta.url)) as NativeModule;
  const env = readEnv();
  return ({ modelPath, heldOutPath }) =>
    native.checkNativeModel({
      modelPath,
      heldOut: heldOutPath,
      env: {
        KELLY_RTNEURAL_DIR: env.KELLY_RTNEURAL_DIR,
        CXX: env.CXX,
        KELLY_NATIVE_CACHE: env.KELLY_NATIVE_CACHE,
      },
    });
}
