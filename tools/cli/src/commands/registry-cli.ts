import {
  PromotionRefusedError,
  RegistryNotFoundError,
  type GateReport,
  type NativeRtneuralCheck,
  type RtneuralValidator,
} from '@kelly/registry';
import { checkNativeModel } from '@kelly/rtneural-native';
import { openTracker, toJsonSafe, type Tracker } from '@kelly/tracking';
import type { z } from 'zod';
import { UsageError, type CliContext } from '../context';

/** Shared by `kelly models`, `kelly promote` and `kelly rollback`. */

/** Parses commander's options with zod; the first problem becomes a usage error naming the flag. */
export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = issue?.path.length
    ? `--${issue.path
        .map(String)
        .join('.')
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
    : 'arguments';
  throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Opens the store of `--home` / KELLY_HOME, runs `fn`, closes it. Not-found errors become usage errors (exit 2).
 * A command that writes (`writes`) first stores the crash of runs whose process died (reads only show it).
 */
export async function withTracker<T>(
  ctx: CliContext,
  fn: (tracker: Tracker) => Promise<T> | T,
  { writes = false }: { writes?: boolean } = {},
): Promise<T> {
  const tracker = openTracker({
    home: ctx.paths().home,
    staleAfterS: ctx.env.KELLY_STALE_AFTER_S,
    handleSignals: false,
  });
  try {
    if (writes) tracker.sweepStale();
    return await fn(tracker);
  } catch (e) {
    if (e instanceof RegistryNotFoundError) throw new UsageError(e.message);
    throw e;
  } finally {
    tracker.close();
  }
}

/**
 * The seam between the libs: @kelly/tracking cannot import @kelly/models (tfjs), so the CLI injects the strict
 * RTNeural validator into promotion. Loaded lazily so `kelly models list` does not pay for loading tfjs.
 */
export async function loadRtneuralValidator(): Promise<RtneuralValidator> {
  const { validateRtneuralModel } = await import('@kelly/models');
  return (json) => {
    const r = validateRtneuralModel(json);
    return { ok: r.ok, errors: r.errors.map((e) => `${e.path || '(root)'}: ${e.message}`) };
  };
}

/**
 * The other seam: the registry never spawns the native runner itself; the CLI injects the check, built against
 * `--rtneural-dir`, else KELLY_RTNEURAL_DIR (the user's plugin checkout), with `g++` (or CXX). A first build
 * (~15-30 s) says so on stderr.
 */
export function nativeRtneuralCheck(ctx: CliContext, rtneuralDir?: string): NativeRtneuralCheck {
  const env = {
    KELLY_RTNEURAL_DIR: ctx.env.KELLY_RTNEURAL_DIR,
    CXX: ctx.env.CXX,
    KELLY_NATIVE_CACHE: ctx.env.KELLY_NATIVE_CACHE,
  };
  return ({ modelPath, heldOutPath }) =>
    checkNativeModel({
      modelPath,
      heldOut: heldOutPath,
      rtneuralDir,
      env,
      onBuild: (message) => ctx.err(`note: ${message} (once per checkout)`),
    });
}

const MARK = { pass: '✓', fail: '✗', skipped: '-' } as const;

/** The gate report as aligned lines: one per gate with its verdict and evidence summary. */
export function formatGateReport(r: GateReport): string {
  const width = Math.max(...r.gates.map((g) => g.gate.length));
  const head = `gates for run ${r.runId} → ${r.model} ${r.alias}: ${r.passed ? 'all passed' : `FAILED (${r.failed.join(', ')})`}`;
  return [head, ...r.gates.map((g) => `  ${MARK[g.verdict]} ${g.gate.padEnd(width)}  ${g.summary}`)].join(
    '\n',
  );
}

export const json = (value: unknown) => JSON.stringify(toJsonSafe(value), null, 2);

export const isoTime = (ms: number | null) =>
  ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export { PromotionRefusedError };
