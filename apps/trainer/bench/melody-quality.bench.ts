/**
 * `npm run bench -- melody-quality`: our default-preset MelodyTransformer against Spotify's Basic Pitch on the
 * same held-out audio: the default preset's own synthetic validation clips (never trained on by either).
 *
 * 1. trains the default preset (`trainer:melody`, a child process, into a temporary Kelly home) — or, run by hand
 *    as `tsx apps/trainer/bench/melody-quality.bench.ts --run <id> --home <dir>`, takes that run's model;
 * 2. ours: log-mel → model → the run's note decoding (`config.noteDecoding`);
 *    Basic Pitch: the same 16 kHz audio resampled to 22,050 Hz with 0.25 s of silence appended → its model → its
 *    documented decoding (onset 0.5, frame 0.3, minimum 11 frames);
 * 3. scores both against the clips' true notes (seconds, cut at the clip end) by mir_eval's rules: note-onset
 *    F1, note F1 with offsets, and frame F1 of the notes drawn on the 16 ms grid by the target's rule (the same
 *    rule for both systems; ours also reports its raw frame F1 at 0.5, the trainer's `val_f1`).
 * With `--vs-run <id> [--vs-home <dir>]` a second run (e.g. `--preset full` against the default) is scored on
 * the same audio and the JSON gains `vs` and `ratios.*_vs_over_ours`; `--audio vs` takes the second run's validation
 * split as the audio instead of the first's. Either way the bench refuses audio that either model trained on (clip
 * i of a synthetic set depends only on (seed, index), longer clips extend shorter ones, so a clip index in a run's
 * training split counts as seen whatever its length).
 * `--decoding '<json>'` decodes the first run with other parameters (e.g. chosen by note-decoding-sweep.ts on audio
 * of another seed); the JSON says so.
 * Prints one JSON document on stdout (progress on stderr).
 */
import * as tf from '@tensorflow/tfjs';
import {
  buildSynthDataset,
  FEATURE_SPEC,
  logMel,
  renderMelodyAudio,
  resample,
  type Example,
} from '@kelly/features';
import {
  binaryMetrics,
  decodeNotes,
  framesToSeconds,
  loadLayersModel,
  notesToRoll,
  NoteScorer,
  parseNoteDecoding,
  predictBatched,
  selectBackend,
  type TimedNote,
} from '@kelly/models';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, readRun, referenceNotes, runIfMain, trainedClipsIn, type RunUnderTest } from './melody-eval';
import { BASIC_PITCH, basicPitchNotes, basicPitchPosteriors, loadBasicPitch } from './basic-pitch';

const TRAINER = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PITCHES = 128;
const dt = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;
const round = (x: number, d = 3) => Number(x.toFixed(d));

interface Trained {
  runId: string;
  home: string;
  wallS: number | null;
}

function trainDefault(): Trained {
  const home = mkdtempSync(join(tmpdir(), 'kelly-melody-quality-'));
  process.stderr.write(`melody-quality: training the default preset into ${home}\n`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, TRAINER, 'melody', '--home', home, '--progress', 'lines'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wallS = (performance.now() - t0) / 1000;
  const id = /run (\S+) started/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !id)
    throw new Error(
      `melody-quality: training failed (exit ${r.status ?? r.signal}):\n${r.stdout.slice(-1500)}`,
    );
  return { runId: id, home, wallS };
}

interface SystemScores {
  frame_f1: number;
  note_onset_precision: number;
  note_onset_recall: number;
  note_onset_f1: number;
  note_offset_f1: number;
  notes: number;
  cpu_s: number;
  cpu_s_per_audio_s: number;
}

function scoreSystem(
  ref: TimedNote[][],
  est: TimedNote[][],
  targets: readonly Example[],
  frames: number,
  cpuS: number,
  audioS: number,
): SystemScores {
  const scorer = new NoteScorer();
  ref.forEach((r, i) => scorer.addClip(r, est[i] ?? []));
  const s = scorer.scores();
  const drawn = Float32Array.from(est.flatMap((e) => [...notesToRoll(e, frames, dt, PITCHES)]));
  const target = Float32Array.from(targets.flatMap((e) => [...e.y]));
  return {
    frame_f1: round(binaryMetrics(drawn, target).f1),
    note_onset_precision: round(s.note_onset_precision!),
    note_onset_recall: round(s.note_onset_recall!),
    note_onset_f1: round(s.note_onset_f1!),
    note_offset_f1: round(s.note_offset_f1!),
    notes: scorer.onset.est,
    cpu_s: round(cpuS, 1),
    cpu_s_per_audio_s: round(cpuS / audioS, 4),
  };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function scoreRun(
  r: RunUnderTest,
  mels: readonly Float32Array[],
  val: readonly Example[],
  ref: TimedNote[][],
  T: number,
  audioS: number,
  /** CPU seconds of the log-mel of the audio, shared by every run scored and counted in each one's time. */
  melCpuS: number,
) {
  const model = await loadLayersModel(r.modelDir);
  const t0 = process.cpuUsage();
  const x = tf.tensor3d(Float32Array.from(mels.flatMap((m) => [...m])), [val.length, T, FEATURE_SPEC.nMels]);
  const pred = predictBatched(model, x, 16).data;
  x.dispose();
  model.dispose();
  const notes = val.map((_, i) =>
    framesToSeconds(decodeNotes(pred, T, PITCHES, r.decoding, i * T * PITCHES), dt),
  );
  const cpu = melCpuS + cpuSeconds(t0);
  const target = Float32Array.from(val.flatMap((e) => [...e.y]));
  return {
    cpuS: cpu,
    run_id: r.runId,
    preset: r.preset,
    data: r.data,
    note_decoding: r.decoding,
    note_decoding_source: r.decodingSource,
    samples_per_s: r.samplesPerS,
    ...scoreSystem(ref, notes, val, T, cpu, audioS),
    raw_frame_f1_at_0_5: round(binaryMetrics(pred, target).f1),
  };
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const runFlag = flag(args, '--run');
  const homeFlag = flag(args, '--home');
  const vsRunFlag = flag(args, '--vs-run');
  const vsHomeFlag = flag(args, '--vs-home') ?? homeFlag;
  const audioFlag = flag(args, '--audio') ?? 'run';
  if (runFlag && !homeFlag)
    throw new Error('melody-quality: --run needs --home <dir> (the Kelly home holding the run)');
  if (vsRunFlag && !vsHomeFlag)
    throw new Error('melody-quality: --vs-run needs --vs-home <dir> (or --home) holding that run');
  if (audioFlag !== 'run' && audioFlag !== 'vs')
    throw new Error(`melody-quality: --audio must be "run" or "vs", got "${audioFlag}"`);
  if (audioFlag === 'vs' && !vsRunFlag) throw new Error('melody-quality: --audio vs needs --vs-run <id>');
  const decodingFlag = flag(args, '--decoding');
  const trained: Trained = runFlag ? { runId: runFlag, home: homeFlag!, wallS: null } : trainDefault();
  const primary = readRun(trained.home, trained.runId);
  if (decodingFlag) {
    let value: unknown;
    try {
      value = JSON.parse(decodingFlag);
    } catch {
      throw new Error(`melody-quality: --decoding must be JSON, got ${decodingFlag}`);
    }
    primary.decoding = parseNoteDecoding(value, 'melody-quality --decoding');
    primary.decodingSource = '--decoding (not the run config)';
  }
  const vs = vsRunFlag ? readRun(vsHomeFlag!, vsRunFlag) : null;

  const backend = await selectBackend();
  const opts = { ...(audioFlag === 'vs' ? vs! : primary).data, workers: 2 };
  process.stderr.write(`melody-quality: rebuilding the validation split of ${JSON.stringify(opts)}\n`);
  const dataset = await buildSynthDataset('melody', opts);
  const val = dataset.validation;
  const ids = val.map((e) => e.id);
  for (const r of vs ? [primary, vs] : [primary]) {
    const seen = trainedClipsIn(r.data, { seed: opts.seed, ids });
    if (seen.length > 0)
      throw new Error(
        `melody-quality: run ${r.runId} trained on ${seen.length} of the ${ids.length} clips scored (e.g. ${seen[0]}); pick the other --audio`,
      );
  }
  const T = opts.clipFrames;
  const clips = await renderMelodyAudio(opts, ids);
  const clipSeconds = (clips[0]?.audio.length ?? 0) / FEATURE_SPEC.sampleRate;
  const audioS = clipSeconds * clips.length;
  const ref = referenceNotes(clips);

  // ours: from the audio, as Basic Pitch (log-mel of the rendered clip = the dataset's x, tested in @kelly/features)
  const melT0 = process.cpuUsage();
  const mels = clips.map((c) => logMel(c.audio).data);
  const melCpuS = cpuSeconds(melT0);
  const { cpuS: oursCpu, ...oursScores } = await scoreRun(primary, mels, val, ref, T, audioS, melCpuS);
  const ours = {
    ...oursScores,
    train_wall_s: trained.wallS === null ? null : round(trained.wallS, 1),
  };
  const other = vs
    ? (({ cpuS: _, ...rest }) => rest)(await scoreRun(vs, mels, val, ref, T, audioS, melCpuS))
    : null;

  // Basic Pitch
  process.stderr.write(`melody-quality: Basic Pitch on ${clips.length} clips\n`);
  const bp = await loadBasicPitch();
  const t0 = process.cpuUsage();
  const bpNotes: TimedNote[][] = [];
  for (const c of clips) {
    const up = await resample(c.audio, FEATURE_SPEC.sampleRate, BASIC_PITCH.sampleRate);
    const padded = new Float32Array(up.length + Math.round(BASIC_PITCH.tailSeconds * BASIC_PITCH.sampleRate));
    padded.set(up);
    bpNotes.push(basicPitchNotes(basicPitchPosteriors(bp, padded)));
  }
  const bpCpu = cpuSeconds(t0);
  bp.dispose();
  const basic = scoreSystem(ref, bpNotes, val, T, bpCpu, audioS);

  const keys = ['frame_f1', 'note_onset_f1', 'note_offset_f1'] as const;
  const goal = Object.fromEntries(keys.map((k) => [k, ours[k] >= basic[k]]));
  const ratio = (a: number, b: number) => round(a / Math.max(1e-9, b));
  const doc = {
    audio: {
      of: audioFlag === 'vs' ? vs!.runId : primary.runId,
      clips: clips.length,
      seconds: round(audioS, 1),
      reference_notes: ref.reduce((a, r) => a + r.length, 0),
      dataset: dataset.id,
      trained_on_by_either_model: 0,
    },
    ours,
    ...(other ? { vs: other } : {}),
    basic_pitch: {
      package: '@spotify/basic-pitch 1.0.1',
      decoding: {
        onset: BASIC_PITCH.onsetThreshold,
        frame: BASIC_PITCH.frameThreshold,
        min_note_frames: BASIC_PITCH.minNoteFrames,
      },
      ...basic,
    },
    ratios: {
      ...Object.fromEntries(keys.map((k) => [`${k}_ours_over_basic_pitch`, ratio(ours[k], basic[k])])),
      ...(other
        ? Object.fromEntries(
            keys.flatMap((k) => [
              [`${k}_vs_over_ours`, ratio(other[k], ours[k])],
              [`${k}_vs_over_basic_pitch`, ratio(other[k], basic[k])],
            ]),
          )
        : {}),
      cpu_basic_pitch_over_ours: round(bpCpu / Math.max(1e-9, oursCpu), 1),
    },
    goals: {
      ours_ge_basic_pitch: goal,
      met: Object.values(goal).every(Boolean),
      default_train_budget_s: 450,
    },
    machine: { backend: backend.backend, loadavg_1m: round(loadavg()[0] ?? 0, 2) },
  };
  console.log(JSON.stringify(doc, null, 2));
  return 0;
}

runIfMain(import.meta.url, main);
