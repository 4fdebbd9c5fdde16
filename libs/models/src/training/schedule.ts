/**
 * Cosine learning-rate schedule with linear warm-up, per optimizer step.
 * Steps 0..warmupSteps-1 ramp linearly from baseLr/warmupSteps to baseLr; then
 * lr = minLr + (baseLr − minLr)·(1 + cos(π·progress))/2 with progress 0→1 over the remaining steps.
 * @see Loshchilov & Hutter, "SGDR" (arXiv:1608.03983) for the cosine shape.
 */
export interface CosineWithWarmupOptions {
  baseLr: number;
  warmupEpochs: number;
  totalEpochs: number;
  stepsPerEpoch: number;
  /** Floor of the decay; default 0. */
  minLr?: number;
}

export function cosineWithWarmup(options: CosineWithWarmupOptions): (step: number) => number {
  const { baseLr, stepsPerEpoch } = options;
  const minLr = options.minLr ?? 0;
  if (!(baseLr > 0) || !(stepsPerEpoch > 0))
    throw new Error('cosineWithWarmup: baseLr and stepsPerEpoch must be > 0');
  const total = Math.max(1, Math.round(options.totalEpochs * stepsPerEpoch));
  const warmup = Math.min(total - 1, Math.max(0, Math.round(options.warmupEpochs * stepsPerEpoch)));
  return (step: number): number => {
    if (step < warmup) return (baseLr * (step + 1)) / warmup;
    const span = Math.max(1, total - warmup);
    const progress = Math.min(1, (step - warmup) / span);
    return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
}
