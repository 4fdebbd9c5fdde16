/**
 * `npm run bench -- media`: what logging validation-clip media costs a training run. The smoke melody preset
 * (16 epochs; media at epochs 1, 4, 8, 12 and the best epoch, plus the inputs once) is trained with media on
 * and off, alternately, `ROUNDS` times each, in this process. Figures:
 *  - media share (same run): seconds spent in media logging (`media_total_s`) / the run's summed `epoch_time_s`
 *    — goal ≤ 0.05;
 *  - with vs without (separate runs): median wall time of the whole run and median epoch time, as ratios.
 * Prints one JSON document on stdout; progress on stderr.
 */
import { getRun, metricSeries, openTracker } from '@kelly/tracking';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as trainer } from '../src/main';

const ROUNDS = 2;
const log = (msg: string) => process.stderr.write(`media bench: ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

interface Figures {
  runId: string;
  wallS: number;
  epochTimeSumS: number;
  medianEpochS: number;
  mediaTotalS: number | null;
  mediaShare: number | null;
}

async function trainOnce(home: string, media: 'on' | 'off'): Promise<Figures> {
  let id = '';
  const t0 = performance.now();
  const code = await trainer(
    ['melody', '--preset', 'smoke', '--media', media, '--home', home, '--progress', 'lines'],
    {
      out: (line: string) => (id ||= /run (\S+) started/.exec(line)?.[1] ?? ''),
      err: (line: string) => process.stderr.write(`${line}\n`),
    },
  );
  const wallS = (performance.now() - t0) / 1000;
  if (code !== 0 || !id) throw new Error(`trainer exited ${code}`);
  const tracker = openTracker({ home, handleSignals: false });
  try {
    const epochs = metricSeries(tracker, {
      runId: id,
      key: 'epoch_time_s',
      maxPoints: 10_000,
    })[0]!.points.map((p) => p.value);
    const total = getRun(tracker, id).metrics.find((m) => m.key === 'media_total_s')?.last ?? null;
    const sum = epochs.reduce((a, b) => a + b, 0);
    return {
      runId: id,
      wallS: r4(wallS),
      epochTimeSumS: r4(sum),
      medianEpochS: r4(median(epochs)),
      mediaTotalS: total === null ? null : r4(total),
      mediaShare: total === null ? null : r4(total / sum),
    };
  } finally {
    tracker.close();
  }
}

export async function main(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'kelly-media-bench-'));
  try {
    const on: Figures[] = [];
    const off: Figures[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate the order so a machine getting busier does not favour one side.
      for (const mode of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        log(`round ${i + 1}: media ${mode}`);
        (mode === 'on' ? on : off).push(await trainOnce(home, mode));
      }
    }
    const share = median(on.map((f) => f.mediaShare ?? Number.NaN));
    const doc = {
      model: 'melody',
      preset: 'smoke',
      rounds: ROUNDS,
      withMedia: on,
      withoutMedia: off,
      ratios: {
        mediaShareOfEpochTime: share,
        wallWithOverWithout: r4(median(on.map((f) => f.wallS)) / median(off.map((f) => f.wallS))),
        medianEpochWithOverWithout: r4(
          median(on.map((f) => f.medianEpochS)) / median(off.map((f) => f.medianEpochS)),
        ),
      },
      goals: { mediaShareOfEpochTime: '≤ 0.05' },
      met: share <= 0.05,
    };
    process.stdout.write(`${JSON.stringify(doc)}\n`);
    return doc.met ? 0 : 1;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
