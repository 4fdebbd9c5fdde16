/** Per-layer initialiser seed: `{ seed: base + 7919·index }`, or `{}` (random) when base is undefined. */
export function seedOf(base: number | undefined, index: number): { seed?: number } {
  return base === undefined ? {} : { seed: base + 7919 * index };
}
