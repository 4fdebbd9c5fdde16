/** Progress lines (stderr: stdout carries the one JSON document) and number helpers for the features bench. */
export const log = (msg: string): void => void process.stderr.write(`[features bench] ${msg}\n`);
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
