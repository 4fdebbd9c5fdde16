/**
 * What a test needs from outside the repository: the shared fixtures (`../shared` beside the repo root), or a tool
 * such as Debian's Chromium. One answer everywhere: present → run; absent → skip, saying what is missing; absent
 * under `KELLY_REQUIRE_FIXTURES=1` (CI) → throw, so the test file fails naming it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTestEnv, type Env } from './env';

/** The repository root (libs/test-support/src → three levels up). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
/** `../shared` from the repository root: fixtures and vendored sources, never copied into the repo. */
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');
/** Debian's Chromium, driven through playwright-core (never a downloaded browser). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A path a test needs, checked once. */
export interface Needed {
  /** Absolute path. */
  path: string;
  present: boolean;
  /** `needs ../shared/fixtures/<...>`: put it in the suite title so that a skip says why. */
  needs: string;
}

/** Where to look and which environment to obey (tests of this lib point them elsewhere). */
export interface NeedOptions {
  /** Default `KELLY_SHARED_DIR`, else {@link SHARED_DIR}. */
  sharedDir?: string;
  /** Default `process.env` (read in env.ts). */
  env?: Env;
}

/** Thrown under `KELLY_REQUIRE_FIXTURES=1` when a needed path is absent. */
export class MissingFixtureError extends Error {
  constructor(
    readonly what: string,
    readonly path: string,
  ) {
    super(
      `KELLY_REQUIRE_FIXTURES=1 and ${what} is missing${what.includes(path) ? '' : ` (looked for ${path})`}`,
    );
    this.name = 'MissingFixtureError';
  }
}

function check(path: string, what: string, requireFixtures: boolean): Needed {
  const present = existsSync(path);
  if (!present && requireFixtures) throw new MissingFixtureError(what, path);
  return { path, present, needs: `needs ${what}` };
}

/** A file or folder under `../shared/fixtures`, e.g. `fixture('legacy-logs')`, `fixture('kelly', 'registry.json')`. */
export function fixture(parts: string | string[], options: NeedOptions = {}): Needed {
  return shared(['fixtures', ...[parts].flat()], options);
}

/** A file or folder under `../shared`, e.g. `shared(['vendor', 'rtneural'])`. */
export function shared(parts: string | string[], options: NeedOptions = {}): Needed {
  const rel = [parts].flat();
  const env = readTestEnv(options.env);
  const root = resolve(options.sharedDir ?? env.sharedDir ?? SHARED_DIR);
  const what = root === SHARED_DIR ? ['../shared', ...rel].join('/') : join(root, ...rel);
  return check(join(root, ...rel), what, env.requireFixtures);
}

/** Debian's Chromium at {@link CHROMIUM_PATH} (or `path`). */
export function chromium(options: { path?: string; env?: Env } = {}): Needed {
  const path = options.path ?? CHROMIUM_PATH;
  return check(
    path,
    `Chromium (${path}; apt-get install -y chromium)`,
    readTestEnv(options.env).requireFixtures,
  );
}
