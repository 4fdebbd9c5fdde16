/** The only place this bench folder reads process.env. */

/** Debian's Python, which has python3-torch (another python3 on PATH may not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * The environment for a Python anchor: this process's, less OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set on some
 * machines for old OpenBLAS builds; they slow a current one), both together, in that child alone. With
 * `blasThreads`, OPENBLAS_NUM_THREADS says how many threads OpenBLAS's own pool may use: its only control
 * (torch.set_num_threads does not reach it; unset, it takes every core).
 */
export function pythonAnchorEnv(blasThreads?: number): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  delete env.GOTO_NUM_THREADS;
  if (blasThreads !== undefined) env.OPENBLAS_NUM_THREADS = String(blasThreads);
  else delete env.OPENBLAS_NUM_THREADS;
  return env;
}
