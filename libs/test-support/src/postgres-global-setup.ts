/**
 * vitest globalSetup of the `<project>@pg` projects: starts ONE throwaway PostgreSQL cluster for the whole test run
 * and provides `kellyPostgres` to the test files (see store-location.ts). When PostgreSQL is missing it provides
 * the reason instead (the files' tests then skip with it, see postgres-skip.setup.ts); under
 * `KELLY_REQUIRE_FIXTURES=1` it throws, failing the run and naming what is missing.
 */
import type { TestProject } from 'vitest/node';
import { postgresTools, startPostgres, type PostgresCluster } from './postgres';

/** What the @pg test files receive through `inject('kellyPostgres')`. */
export type ProvidedPostgres =
  { present: true; url: string; port: number; bindir: string } | { present: false; needs: string };

declare module 'vitest' {
  export interface ProvidedContext {
    kellyPostgres: ProvidedPostgres;
  }
}

interface Shared {
  users: number;
  cluster: Promise<PostgresCluster>;
}

/**
 * vitest runs each project's globalSetup in its own module scope but in one process: the cluster is shared across
 * the @pg projects through this process-wide slot (started by the first, stopped by the last teardown).
 */
const SLOT = Symbol.for('kelly.test-support.postgres-cluster');
const slots = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(project: TestProject): Promise<() => void> {
  const tools = postgresTools();
  if (!tools.present) {
    project.provide('kellyPostgres', { present: false, needs: tools.needs });
    return () => undefined;
  }
  const shared = (slots[SLOT] ??= { users: 0, cluster: startPostgres({ tools }) });
  shared.users++;
  const cluster = await shared.cluster;
  project.provide('kellyPostgres', {
    present: true,
    url: cluster.url,
    port: cluster.port,
    bindir: tools.bindir,
  });
  return () => {
    if (--shared.users > 0) return;
    slots[SLOT] = undefined;
    cluster.stop();
  };
}
