import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeOutput, encodeInput, type Clip, type RunnerOutput } from './frames-file';

export interface RunOptions {
  /** The built runner (see ensureRunner). */
  binary: string;
  /** An RTNeural model JSON file. */
  modelPath: string;
  /** Clips to stream, each from a fresh reset(). None: only timing, on generated frames. */
  clips?: readonly Clip[];
  /** Untimed frames before timing. Default 200. */
  warmup?: number;
  /** Frames timed one by one. Default 2000. */
  timed?: number;
  /** The runner is killed after this long (a hang is a failure, never a wait). Default 120 s. */
  timeoutMs?: number;
}

/** Where a run failed: RTNeural threw while parsing, the loaded model does not match the JSON, a crash, … */
export type RunnerStage = 'parse' | 'size' | 'crash' | 'timeout' | 'io' | 'usage' | 'run';

export interface RunnerLayer {
  name: string;
  in: number;
  out: number;
}

export interface RunnerFailure {
  ok: false;
  stage: RunnerStage;
  /** One line: RTNeural's own message for a parse failure, the runner's for the rest. */
  message: string;
  /** Every problem found (a size check can find several). */
  messages: string[];
  exitCode: number | null;
  signal: string | null;
  /** What RTNeural printed while parsing (parseJson debug output). */
  log: string[];
}

export interface RunnerSuccess {
  ok: true;
  inSize: number;
  outSize: number;
  /** The layers RTNeural built, in order. */
  layers: RunnerLayer[];
  output: RunnerOutput;
  log: string[];
}

const ReportSchema = z.object({
  ok: z.boolean(),
  stage: z.string(),
  messages: z.array(z.string()),
  inSize: z.number().int(),
  outSize: z.number().int(),
  layers: z.array(z.object({ name: z.string(), in: z.number().int(), out: z.number().int() })),
});

const STAGES: readonly RunnerStage[] = ['parse', 'size', 'io', 'usage', 'run'];

function failure(
  stage: RunnerStage,
  messages: string[],
  exitCode: number | null,
  signal: string | null,
  log: string[],
): RunnerFailure {
  return { ok: false, stage, message: messages[0] ?? stage, messages, exitCode, signal, log };
}

/**
 * Runs the native runner once on `modelPath` and `clips`, with a hard time limit.
 * Never throws for anything the model or the runner does: a parse failure, a size mismatch, a crash (signal)
 * and a timeout all come back as a RunnerFailure naming the stage, with RTNeural's own message where it gave
 * one. Throws only when the input itself is malformed (a frame of the wrong size).
 */
export async function runRunner(opts: RunOptions): Promise<RunnerSuccess | RunnerFailure> {
  const clips = opts.clips ?? [];
  const inSize = clips[0]?.[0]?.length ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'kelly-rtneural-'));
  const input = join(dir, 'input.bin');
  const output = join(dir, 'output.bin');
  const reportFile = join(dir, 'report.json');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  try {
    writeFileSync(input, encodeInput(inSize, clips));
    const args = ['--model', opts.modelPath, '--input', input, '--output', output, '--report', reportFile];
    args.push('--warmup', String(opts.warmup ?? 200), '--timed', String(opts.timed ?? 2000));
    const { code, signal, stdout, stderr, timedOut, spawnError } = await new Promise<{
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      timedOut: boolean;
      spawnError?: Error;
    }>((done) => {
      const child = spawn(opts.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        done({ code: null, signal: null, stdout, stderr, timedOut, spawnError: e });
      });
      child.on('close', (c, s) => {
        clearTimeout(timer);
        done({ code: c, signal: s, stdout, stderr, timedOut });
      });
    });
    const log = stdout.split('\n').filter((l) => l.trim() !== '');
    if (spawnError)
      return failure(
        'io',
        [`cannot start the runner ${opts.binary}: ${spawnError.message}`],
        null,
        null,
        log,
      );
    if (timedOut)
      return failure(
        'timeout',
        [`the runner did not finish within ${timeoutMs} ms and was killed`],
        code,
        signal,
        log,
      );
    if (signal) {
      const last = log.at(-1)?.trim();
      return failure(
        'crash',
        [`the runner crashed (${signal})${last ? ` after RTNeural printed "${last}"` : ''}`],
        code,
        signal,
        log,
      );
    }
    let report: z.infer<typeof ReportSchema>;
    try {
      report = ReportSchema.parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    } catch (e) {
      const why = stderr.trim() || (e instanceof Error ? e.message : String(e));
      return failure(
        'io',
        [`the runner exited ${code} without a readable report: ${why}`],
        code,
        signal,
        log,
      );
    }
    if (!report.ok || code !== 0) {
      const stage = STAGES.find((s) => s === report.stage) ?? 'run';
      return failure(
        stage,
        report.messages.length ? report.messages : [`runner exited ${code}`],
        code,
        signal,
        log,
      );
    }
    return {
      ok: true,
      inSize: report.inSize,
      outSize: report.outSize,
      layers: report.layers,
      output: decodeOutput(readFileSync(output)),
      log,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
