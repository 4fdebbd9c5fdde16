import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { PRESETS } from './presets';
import { MODEL_KINDS } from './tasks/task';

/** A bad flag or value: main prints one line naming the flag and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const DataSource = z.union([
  z.literal('synth').transform(() => ({ type: 'synth' as const })),
  z
    .string()
    .regex(/^maestro:.+/, 'expected synth, maestro:<dir> or manifest:<file>')
    .transform((s) => ({ type: 'maestro' as const, path: s.slice('maestro:'.length) })),
  z
    .string()
    .regex(/^manifest:.+/, 'expected synth, maestro:<dir> or manifest:<file>')
    .transform((s) => ({ type: 'manifest' as const, path: s.slice('manifest:'.length) })),
]);
export type DataSourceSpec = z.output<typeof DataSource>;

const num = (flag: string) =>
  z.coerce.number({ error: `${flag} must be a number` }).refine(Number.isFinite, `${flag} must be finite`);

/** Validated trainer flags; one field per CLI flag. */
export const TrainerOptionsSchema = z.object({
  model: z.enum(MODEL_KINDS, { error: `model must be one of ${MODEL_KINDS.join(', ')}` }),
  preset: z.enum(PRESETS, { error: `--preset must be one of ${PRESETS.join(', ')}` }).default('default'),
  epochs: num('--epochs')
    .pipe(z.number().int('--epochs must be an integer').min(1, '--epochs must be ≥ 1').max(10_000))
    .optional(),
  batchSize: num('--batch-size')
    .pipe(z.number().int('--batch-size must be an integer').min(1, '--batch-size must be ≥ 1').max(4096))
    .optional(),
  lr: num('--lr').pipe(z.number().gt(0, '--lr must be > 0').max(10, '--lr must be ≤ 10')).optional(),
  data: z.string().pipe(DataSource).default({ type: 'synth' }),
  size: num('--size').pipe(z.number().int().min(8, '--size must be ≥ 8')).optional(),
  seed: num('--seed')
    .pipe(
      z
        .number()
        .int('--seed must be an integer')
        .min(0)
        .max(2 ** 31 - 1),
    )
    .default(1),
  resume: z
    .string()
    .regex(/^[\w.-]+$/, '--resume must be a run id')
    .optional(),
  home: z.string().min(1, '--home must not be empty').optional(),
  workers: num('--workers')
    .pipe(z.number().int('--workers must be an integer').min(1, '--workers must be ≥ 1').max(64))
    .optional(),
  progress: z
    .enum(['auto', 'bar', 'lines'], { error: '--progress must be auto, bar or lines' })
    .default('auto'),
  /** emotion-node: a Kelly emotion-thesaurus folder overriding the hierarchy bundled with the repository. */
  thesaurus: z.string().min(1, '--thesaurus must not be empty').optional(),
  media: z.enum(['on', 'off'], { error: '--media must be on or off' }).default('on'),
});
export type TrainerOptions = z.output<typeof TrainerOptionsSchema>;

const FLAG_OF: Record<string, string> = {
  model: '<model>',
  preset: '--preset',
  epochs: '--epochs',
  batchSize: '--batch-size',
  lr: '--lr',
  data: '--data',
  size: '--size',
  seed: '--seed',
  resume: '--resume',
  home: '--home',
  workers: '--workers',
  progress: '--progress',
  thesaurus: '--thesaurus',
  media: '--media',
};

/**
 * Parses `argv` (without node and script): `<model> [flags]`. Bare `--` separators (from `nx run … -- …`) are dropped.
 * @throws UsageError with a one-line message naming the flag.
 */
export function parseTrainerArgs(argv: readonly string[]): TrainerOptions {
  const program = new Command('trainer')
    .argument('<model>', `one of ${MODEL_KINDS.join(', ')}`)
    .option('--preset <name>', 'smoke | default | full')
    .option('--epochs <n>')
    .option('--batch-size <n>')
    .option('--lr <x>')
    .option('--data <source>', 'synth | maestro:<dir> | manifest:<file>')
    .option('--size <n>', 'override the synthetic dataset size (clips)')
    .option('--seed <n>')
    .option('--resume <runId>')
    .option('--home <dir>')
    .option('--workers <n>')
    .option('--progress <mode>', 'auto | bar | lines')
    .option('--thesaurus <dir>', 'emotion-node: emotion-thesaurus folder (default: the bundled hierarchy)')
    .option('--media <on|off>', 'log validation-clip media (audio, images) at a few epochs; default on')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const args = argv.filter((a) => a !== '--');
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError || e instanceof InvalidArgumentError)
      throw new UsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const raw = { model: program.args[0], ...program.opts() };
  const parsed = TrainerOptionsSchema.safeParse(raw);
  if (parsed.success && parsed.data.thesaurus !== undefined && parsed.data.model !== 'emotion-node')
    throw new UsageError(`--thesaurus: only the emotion-node trainer reads the emotion thesaurus`);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = FLAG_OF[key] ?? key;
    const msg = issue?.message ?? 'invalid value';
    throw new UsageError(msg.includes(flag) ? msg : `${flag}: ${msg}`);
  }
  return parsed.data;
}
