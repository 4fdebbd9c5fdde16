import type { RtneuralValidator } from '@kelly/registry';

/** The slice of @kelly/models this module uses (typed here: the module is loaded at run time, not bundled). */
interface ModelsValidatorModule {
  validateRtneuralModel(json: unknown): { ok: boolean; errors: readonly { path: string; message: string }[] };
}

/**
 * The strict RTNeural validator for the promotion gates. @kelly/tracking cannot import @kelly/models (tfjs), so
 * the app injects it, as the CLI does. @kelly/models is TypeScript over tfjs, which Turbopack cannot bundle
 * (tfjs-node, wasm, dynamic requires), so it is loaded at run time through tsx — the same way every other
 * project here runs its TS sources — on first use only, so pages that never promote never load tfjs.
 */
export async function loadRtneuralValidator(): Promise<RtneuralValidator> {
  const { tsImport } = (await import(/* turbopackIgnore: true */ 'tsx/esm/api')) as {
    tsImport: (specifier: string, parent: string) => Promise<unknown>;
  };
  const models = (await tsImport('@kelly/models', import.meta.url)) as ModelsValidatorModule;
  return (json) => {
    const r = models.validateRtneuralModel(json);
    return { ok: r.ok, errors: r.errors.map((e) => `${e.path || '(root)'}: ${e.message}`) };
  };
}
