import { hex, magma, Raster, type Rgb } from './raster';

/** Colours of the piano-roll comparison (also named in captions and the dashboard legend). */
export const ROLL_COLOURS = { hit: '#15803d', miss: '#f97316', falseNote: '#2563eb' } as const;

/**
 * Log-mel image: time left → right (3 px per frame), mel band low at the bottom (3 px per band), magma
 * colours over the clip's own min…max.
 * @param x flat [frames][bands] log-mel of one clip
 */
export function logMelImage(x: Float32Array, frames: number, bands: number): Raster {
  const cw = Math.max(1, Math.min(4, Math.floor(900 / frames)));
  const r = new Raster(frames * cw, bands * 3);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = hi > lo ? hi - lo : 1;
  for (let t = 0; t < frames; t++)
    for (let b = 0; b < bands; b++)
      r.fill(t * cw, (bands - 1 - b) * 3, cw, 3, magma(((x[t * bands + b] ?? lo) - lo) / span));
  return r;
}

/**
 * Target vs predicted piano roll of one clip in one image: a cell is a hit (target and prediction on), a miss
 * (target only) or a false note (prediction only), in {@link ROLL_COLOURS}; C rows are shaded. Shows the
 * pitches in use ±3 (at least two octaves), high pitches at the top.
 * @param target flat [frames][128] 0/1; @param pred flat [frames][128] probabilities (on at ≥ 0.5)
 */
export function pianoRollImage(target: Float32Array, pred: Float32Array, frames: number): Raster {
  let lo = 127;
  let hi = 0;
  for (let t = 0; t < frames; t++)
    for (let p = 0; p < 128; p++)
      if ((target[t * 128 + p] ?? 0) >= 0.5 || (pred[t * 128 + p] ?? 0) >= 0.5)
        [lo, hi] = [Math.min(lo, p), Math.max(hi, p)];
  if (lo > hi) [lo, hi] = [60, 60];
  lo = Math.max(0, lo - 3);
  hi = Math.min(127, hi + 3);
  while (hi - lo < 24) [lo, hi] = [Math.max(0, lo - 1), Math.min(127, hi + 1)];
  const cw = Math.max(2, Math.min(8, Math.floor(900 / frames)));
  const ch = 6;
  const rows = hi - lo + 1;
  const r = new Raster(frames * cw, rows * ch, [250, 250, 250]);
  const [hit, miss, falseNote] = [hex(ROLL_COLOURS.hit), hex(ROLL_COLOURS.miss), hex(ROLL_COLOURS.falseNote)];
  for (let p = lo; p <= hi; p++) if (p % 12 === 0) r.fill(0, (hi - p) * ch, frames * cw, ch, [232, 232, 236]);
  for (let t = 0; t < frames; t++)
    for (let p = lo; p <= hi; p++) {
      const on = (target[t * 128 + p] ?? 0) >= 0.5;
      const said = (pred[t * 128 + p] ?? 0) >= 0.5;
      const c: Rgb | null = on && said ? hit : on ? miss : said ? falseNote : null;
      if (c) r.fill(t * cw, (hi - p) * ch + 1, cw, ch - 1, c);
    }
  return r;
}

/**
 * Groove timing: per grid step, the target offset (grey bar from zero) and the predicted one (blue dot, joined
 * to the target by a red error line). 16 px per step; the vertical range is symmetric, at least ±5 ms.
 * @param target, pred offsets in ms, one per step
 */
export function timingImage(target: Float32Array, pred: Float32Array): Raster {
  const steps = target.length;
  const w = 16;
  const h = 220;
  let range = 5;
  for (let k = 0; k < steps; k++) range = Math.max(range, Math.abs(target[k] ?? 0), Math.abs(pred[k] ?? 0));
  range *= 1.1;
  const r = new Raster(steps * w, h);
  const y = (ms: number) => h / 2 - (ms / range) * (h / 2 - 4);
  for (let k = 0; k < steps; k += 4) r.fill(k * w, 0, 1, h, [226, 232, 240]); // beats
  r.fill(0, h / 2, steps * w, 1, [148, 163, 184]);
  for (let k = 0; k < steps; k++) {
    const t = target[k] ?? 0;
    const p = pred[k] ?? 0;
    const yt = y(t);
    r.fill(k * w + 3, Math.min(yt, h / 2), w - 6, Math.max(1, Math.abs(yt - h / 2)), [156, 163, 175]);
    r.line(k * w + w / 2, yt, k * w + w / 2, y(p), hex('#dc2626'), 1);
    r.fill(k * w + w / 2 - 3, y(p) - 3, 6, 6, hex('#2563eb'));
  }
  return r;
}

/**
 * Confusion matrix image: row = true class, column = predicted; each cell's blue shade is its share of the row
 * (empty rows stay white), the diagonal is framed in green. Cells are max(2, 420/K) px.
 */
export function confusionImage(matrix: readonly (readonly number[])[]): Raster {
  const k = matrix.length;
  const cell = Math.max(2, Math.floor(420 / k));
  const r = new Raster(k * cell, k * cell);
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      const share = total > 0 ? count / total : 0;
      const c: Rgb = [
        Math.round(255 - 225 * share),
        Math.round(255 - 175 * share),
        Math.round(255 - 60 * share),
      ];
      r.fill(j * cell, i * cell, cell, cell, c);
    });
    if (cell >= 6) {
      const g = hex('#15803d');
      r.fill(i * cell, i * cell, cell, 1, g);
      r.fill(i * cell, (i + 1) * cell - 1, cell, 1, g);
      r.fill(i * cell, i * cell, 1, cell, g);
      r.fill((i + 1) * cell - 1, i * cell, 1, cell, g);
    }
  });
  return r;
}

/** counts[true][predicted] over K classes. */
export function confusionMatrix(
  actual: readonly number[],
  predicted: readonly number[],
  k: number,
): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (p !== undefined && a >= 0 && a < k && p >= 0 && p < k) m[a]![p]!++;
  });
  return m;
}
