import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The dashboard reads the tracking store in-process: @kelly/tracking is TypeScript source (transpiled
 * here), better-sqlite3 is a native addon (left to Node's require).
 * Type errors are not checked by `next build`: the root `tsc -p tsconfig.json` (part of `npm test`)
 * checks every dashboard file, so the build skips the duplicate pass to stay fast.
 */
const config: NextConfig = {
  transpilePackages: ['@kelly/tracking', '@kelly/legacy', '@kelly/registry'],
  // tsx loads @kelly/models (and tfjs) at run time for the promotion gates: see server/rtneural-validator.ts.
  serverExternalPackages: ['better-sqlite3', 'tsx'],
  turbopack: {
    root: repoRoot,
    // The store reads files under KELLY_HOME (paths known only at run time); output tracing of those reads is
    // irrelevant here (no standalone output), so the "tracing of the whole project" warnings are noise.
    ignoreIssue: [{ path: '**/libs/tracking/**', title: /Dynamic filesystem access/ }],
  },
  outputFileTracingRoot: repoRoot,
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  experimental: {
    // The proxy refuses a body over 1 MiB from its headers (src/security/request-policy.ts); Next still drains
    // the refused body before answering and keeps no more than this much of it.
    proxyClientMaxBodySize: 1024 * 1024 + 1,
  },
  reactStrictMode: true,
};

export default config;
