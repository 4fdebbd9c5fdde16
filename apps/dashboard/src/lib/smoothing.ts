/**
 * Debiased exponential moving average (as TensorBoard's smoothing slider).
 * @param weight 0 = no smoothing, 0.99 = heavy. Non-finite inputs pass through unchanged and do not
 * enter the average, so a NaN step stays visible as NaN instead of poisoning every later point.
 */
export function ema(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  let last = 0;
  let debias = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    debias = debias * weight + (1 - weight);
    return last / debias;
  });
}
