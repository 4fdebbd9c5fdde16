/** The only place this bench folder reads process.env. */

/** Debian's Python, which has python3-numpy (another python3 on PATH may not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * The environment for a Python anchor: this process's, less OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE. Some machines
 * set both so that old OpenBLAS builds stay correct; they slow a current numpy, so an anchor runs without them
 * (both together, in that child alone) and reports the kernel OpenBLAS then picks.
 */
export function pythonAnchorEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}
