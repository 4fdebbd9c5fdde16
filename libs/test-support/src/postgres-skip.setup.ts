/**
 * vitest setupFile of the `<project>@pg` projects: when the global setup found no PostgreSQL (and
 * `KELLY_REQUIRE_FIXTURES` is not 1), every test skips, its note naming what is missing.
 */
import { beforeEach, inject } from 'vitest';
import type {} from './postgres-global-setup';

beforeEach((context) => {
  const pg = inject('kellyPostgres');
  if (!pg.present) context.skip(pg.needs);
});
