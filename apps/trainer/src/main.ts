import { resolveEmotionHierarchy } from '@kelly/features';
import { selectBackend } from '@kelly/models';
import { openTracker, readRun, type RunHandle } from '@kelly/tracking';
import { parseTrainerArgs, UsageError, type TrainerOptions } from './cli-options';
import { readEnv } from './env';
import { gitCommit } from './git-commit';
import { createProgress } from './progress';
import { readStoredRun } from './stored-run';
import { recordFailure } from './run-failure';
import { resolveConfig, RunConfigSchema, type RunConfig } from './run-config';
import { TASKS } from './tasks';
import { DatasetValidationError, trainRun, type TrainRunResult } from './train-run';
import { NonFiniteLossError, type StopSignal } from './training-loop';

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal (progress bar) — default process.stderr.isTTY. */
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
}

const defaultIo: MainIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const fmt = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(4);

function summary(io: MainIo, run: RunHandle, result: TrainRunResult, anomalies: string[]): void {
  io.out(
    `run ${run.id} ${result.outcome === 'finished' ? 'FINISHED' : 'KILLED'} after ${result.epochs} epoch(s)`,
  );
  const m = Object.entries(result.metrics).map(([k, v]) => `${k} ${fmt(v)}`);
  if (m.length) io.out(`final metrics: ${m.join('  ')}`);
  if (result.baseline)
    io.out(`baseline: ${result.baseline.detail} → ${result.baseline.ok ? 'beats it' : 'does NOT beat it'}`);
  if (result.rtneural)
    io.out(
      // a returned verdict passed: exportAndVerify throws ParityError otherwise
      `rtneural: max |tfjs − RTNeural| ${result.rtneural.maxAbsErr.toExponential(2)} (≤ ${result.rtneural.tolerance.toExponential()}: yes) on ${result.rtneural.clips} held-out clips; ${result.rtneural.perFrameMs.toFixed(3)} ms/frame = ${result.rtneural.ratioToHop.toFixed(4)} × the ${result.rtneural.hopMs} ms hop`,
    );
  if (result.rtneural) io.out(`native rtneural: ${result.rtneural.native.summary}`);
  io.out(`anomalies: ${anomalies.length ? anomalies.join(', ') : 'none'}`);
  io.out(`artifacts: ${result.artifactDir}`);
}

/** Loads the emotion hierarchy once before any run starts, so a bad thesaurus is a usage error naming file and field. */
function checkThesaurus(dir: string | null): void {
  try {
    resolveEmotionHierarchy(dir);
  } catch (e) {
    throw new UsageError(`--thesaurus / KELLY_THESAURUS_DIR: ${(e as Error).message}`);
  }
}

/** Resolves the config: from the flags, or (with --resume) from the stored run. */
function configFor(opts: TrainerOptions, stored: unknown): RunConfig {
  if (stored === undefined) return resolveConfig(opts);
  const parsed = RunConfigSchema.safeParse(stored);
  if (!parsed.success)
    throw new UsageError(
      `--resume ${opts.resume ?? ''}: the run's stored config is not a trainer config (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  if (parsed.data.model !== opts.model)
    throw new UsageError(
      `--resume ${opts.resume ?? ''}: that run trained ${parsed.data.model}, not ${opts.model}`,
    );
  // Only --epochs may change on resume (train longer); everything else is the run's own config.
  return opts.epochs === undefined
    ? parsed.data
    : { ...parsed.data, training: { ...parsed.data.training, epochs: opts.epochs } };
}

/**
 * `trainer <model> [--preset smoke|default|full] [--epochs N] [--batch-size N] [--lr X] [--data synth|maestro:<dir>|manifest:<file>]
 * [--seed N] [--resume <runId>] [--home <dir>] [--workers N] [--progress auto|bar|lines] [--media on|off]
 * [--thesaurus <dir>]`.
 * @returns the exit code: 0 FINISHED, 1 FAILED, 2 bad flags, 130 interrupted (KILLED, checkpoint saved).
 */
export async function main(argv: readonly string[], io: MainIo = defaultIo): Promise<number> {
  let opts: TrainerOptions;
  let env;
  try {
    env = readEnv(io.env ?? process.env);
    opts = parseTrainerArgs(argv);
    if (opts.model === 'emotion-node' && !opts.thesaurus && env.KELLY_THESAURUS_DIR)
      opts = { ...opts, thesaurus: env.KELLY_THESAURUS_DIR };
  } catch (e) {
    io.err(`trainer: ${(e as Error).message}`);
    return 2;
  }
  const trackingUri = opts.trackingUri ?? env.KELLY_TRACKING_URI;
  const tracker = openTracker({
    home: opts.home,
    envHome: env.KELLY_HOME,
    envDatabaseUrl: env.KELLY_DATABASE_URL,
    staleAfterS: env.KELLY_STALE_AFTER_S,
    ...(env.KELLY_MEDIA_MAX_MB === undefined
      ? {}
      : { mediaMaxBytesPerRun: Math.round(env.KELLY_MEDIA_MAX_MB * 1024 * 1024) }),
    handleSignals: false,
    ...(trackingUri ? { trackingUri, token: env.KELLY_TRACKING_TOKEN } : {}),
  });
  const stop: StopSignal = { requested: null };
  let run: RunHandle | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (stop.requested && run?.active) {
      void run.kill(`received ${signal} twice; no checkpoint`);
      process.exit(130);
    }
    stop.requested = signal;
    io.err(`trainer: ${signal} — saving a checkpoint, then stopping (again to stop now)`);
  };
  const sigint = onSignal('SIGINT');
  const sigterm = onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  try {
    const stored = opts.resume ? await readStoredRun(tracker, opts.resume) : null;
    if (opts.resume && !stored)
      throw new UsageError(`--resume: no run with id ${opts.resume} in ${tracker.location}`);
    if (stored && !['KILLED', 'FAILED', 'CRASHED'].includes(stored.status))
      throw new UsageError(
        `--resume ${stored.id}: run is ${stored.status}; only KILLED, FAILED or CRASHED runs can be resumed`,
      );
    const config = configFor(opts, stored ? stored.config : undefined);
    if (config.model === 'emotion-node') checkThesaurus(config.data.thesaurus ?? null);
    const task = TASKS[config.model];
    const backend = await selectBackend();
    const system = { ...backend, trainingWorkers: config.workers.training };
    if (stored) {
      run = tracker.resumeRun(stored.id);
      run.setSystem({ ...system, resumedAt: new Date().toISOString() });
    } else {
      const commit = gitCommit();
      run = await tracker.startRun({
        experiment: task.experiment,
        name: `${config.model}-${config.preset}`,
        config,
        tags: [config.model, config.preset, `data:${config.data.source.type}`],
        system,
        backend: backend.backend,
        hardware: `${backend.cpu} ×${backend.cores}`,
        ...(commit ? { gitCommit: commit } : {}),
      });
    }
    io.out(
      `run ${run.id} started: ${task.experiment}, preset ${config.preset}, backend ${backend.backend} (tfjs ${backend.tfjsVersion}), ${trackingUri ? `server ${tracker.location}` : `home ${tracker.paths.home}`}`,
    );
    const mode =
      opts.progress === 'auto'
        ? (io.isTTY ?? process.stderr.isTTY) && env.KELLY_NO_PROGRESS_BAR !== '1'
          ? 'bar'
          : 'lines'
        : opts.progress;
    const progress = createProgress(mode, io.out);
    const result = await trainRun({
      tracker,
      run,
      config,
      backend,
      progress,
      stop,
      resume: Boolean(stored),
      log: io.out,
      native: {
        env: {
          KELLY_RTNEURAL_DIR: env.KELLY_RTNEURAL_DIR,
          CXX: env.CXX,
          KELLY_NATIVE_CACHE: env.KELLY_NATIVE_CACHE,
        },
      },
    });
    if (result.outcome === 'interrupted') {
      await run.kill(
        `received ${stop.requested ?? 'signal'}; checkpoint saved after epoch ${result.epochs} — continue with --resume ${run.id}`,
      );
      io.out(
        `run ${run.id} KILLED: checkpoint saved; continue with: trainer ${config.model} --resume ${run.id}`,
      );
      return 130;
    }
    await run.end(); // evaluates the health rules once; read back what they found
    const anomalies = ((await readRun(tracker, run.id))?.anomalyDetails ?? []).map((a) => a.rule);
    summary(io, run, result, anomalies);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`trainer: ${e.message}`);
      return 2;
    }
    if (run) await recordFailure(run, e);
    const kind =
      e instanceof DatasetValidationError
        ? 'dataset validation failed'
        : e instanceof NonFiniteLossError
          ? 'non-finite loss'
          : 'failed';
    io.err(`trainer: ${kind}: ${(e as Error).message}`);
    if (run) io.err(`trainer: run ${run.id} marked FAILED (npx kelly runs show ${run.id})`);
    return 1;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    await tracker.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
