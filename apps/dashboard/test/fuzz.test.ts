/**
 * Property-based fuzzing (fast-check) of every tRPC procedure and every HTTP route of the production build
 * (`next start`) on a seeded KELLY_HOME: wrong types, huge strings and arrays, deep nesting, NaN/Infinity
 * spellings, path-like ids and unicode, whole inputs and one field at a time (the other fields valid).
 * Never a 5xx, never a hang (each request is bounded); every 400 names the field (`path: message`); bodies
 * over the 1 MiB limit are refused from their headers, before a byte of them is read.
 * The procedures are enumerated from the router itself, so a new procedure is fuzzed without editing this file.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/server/root';
import { BODY_LIMIT_BYTES } from '../src/security/request-policy';
import { startDashboard, type DashboardServer } from './support/dashboard-server';
import { hostileJson, objectText, pathLike, unicodeText } from './support/hostile-json';
import { send, type Reply } from './support/raw-http';
import { SEED, seedDashboard } from './support/seed';

let home: string;
let server: DashboardServer;
let own: { Host: string; Origin: string };

interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation';
  /** Top-level input keys (zod object shape), empty when the input is not an object. */
  keys: string[];
}

/** Every procedure of the app router with its type and input keys. */
function procedures(): ProcedureInfo[] {
  const all = (
    appRouter as unknown as {
      _def: { procedures: Record<string, { _def: { type: string; inputs: unknown[] } }> };
    }
  )._def.procedures;
  return Object.entries(all).map(([path, p]) => {
    const schema = p._def.inputs[0] as
      { shape?: Record<string, unknown>; unwrap?: () => { shape?: Record<string, unknown> } } | undefined;
    const shape = schema?.shape ?? schema?.unwrap?.().shape ?? {};
    return { path, type: p._def.type as 'query' | 'mutation', keys: Object.keys(shape) };
  });
}

/** A valid value for a known field, so that the fuzzed field is the one validated. */
const VALID: Record<string, string> = {
  id: JSON.stringify(SEED.healthyA),
  runId: JSON.stringify(SEED.promotable),
  ids: JSON.stringify([SEED.healthyA, SEED.healthyB]),
  alias: JSON.stringify('candidate'),
  name: JSON.stringify('groovepredictor'),
  model: JSON.stringify('groovepredictor'),
};

/** Node's limit on the request head (the default --max-http-header-size). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Sends `input` (JSON text) to a procedure the way the dashboard's client does. A query whose URL is over Node's
 * head limit is refused by Node itself with 431, and the connection closed (the client may see the reset first).
 */
async function callProcedure(p: ProcedureInfo, input: string): Promise<Reply> {
  if (p.type === 'query') {
    const path = `/api/trpc/${p.path}?input=${pct(input)}`;
    try {
      return await send(server.port, 'GET', path, { Host: own.Host }, undefined, false, 20_000);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (path.length > MAX_HEAD_BYTES && (code === 'ECONNRESET' || code === 'EPIPE'))
        return { status: 431, headers: {}, body: '' };
      throw e;
    }
  }
  return send(
    server.port,
    'POST',
    `/api/trpc/${p.path}`,
    { ...own, 'Content-Type': 'application/json' },
    input,
    false,
    20_000,
  );
}

/** The contract of every answer: below 500; a 400 names the field. */
function expectClientAnswer(r: Reply, what: string): void {
  expect(r.status, `${what} → ${r.status} ${r.body.slice(0, 300)}`).toBeLessThan(500);
  if (r.status === 400 && r.headers['content-type']?.toString().includes('json')) {
    const message = (JSON.parse(r.body) as { error?: { message?: string } }).error?.message ?? '';
    expect(message, `${what}: the 400 must name the field`).toMatch(/^(input|[\w$]+(\.[\w$]+)*): \S/);
  }
}

/** Percent-encodes every byte of `s` as UTF-8 outside [A-Za-z0-9._~-] (lone surrogates become U+FFFD). */
const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
/** Sends `s` as written where a URL allows it, encoding only what HTTP cannot carry (space, controls, non-ASCII, ?#). */
const raw = (s: string) =>
  [...s].map((c) => (/^[\x21-\x7e]$/.test(c) && c !== '?' && c !== '#' ? c : pct(c))).join('');

const short = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}… (${s.length} chars)` : s);

/** A JSON text that fast-check prints shortened in a counterexample (some are 1 MB). */
const labelled = (text: string) => ({ text, [fc.toStringMethod]: () => short(text) });

describe('fuzzing every procedure and route over HTTP (next start)', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kelly-fuzz-'));
    await seedDashboard(home);
    server = await startDashboard(home);
    own = { Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` };
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const all = procedures();

  it('enumerates the router (a procedure added later is fuzzed too)', () => {
    expect(all.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'runs.list',
        'runs.update',
        'models.promote',
        'models.rollback',
        'compare.get',
      ]),
    );
    expect(
      all
        .filter((p) => p.type === 'mutation')
        .map((p) => p.path)
        .sort(),
    ).toEqual(['models.promote', 'models.rollback', 'runs.update']);
  });

  for (const p of all)
    it(`${p.type} ${p.path}: hostile whole inputs and fields → 4xx naming the field, never 5xx`, async () => {
      const field = p.keys.length ? fc.constantFrom(...p.keys) : fc.constant(null);
      const input = fc.oneof(
        hostileJson.map(labelled),
        fc.tuple(field, hostileJson, fc.boolean()).map(([key, text, others]) => {
          if (key === null) return labelled(text);
          const fields: [string, string][] = others
            ? p.keys.filter((k) => k !== key && VALID[k]).map((k) => [k, VALID[k]!])
            : [];
          return labelled(objectText([...fields, [key, text]]));
        }),
      );
      await fc.assert(
        fc.asyncProperty(input, async ({ text }) => {
          expectClientAnswer(await callProcedure(p, text), `${p.path}(${short(text)})`);
        }),
        { numRuns: 40 },
      );
    }, 300_000);

  it('unknown procedures, malformed batches and wrong methods → 4xx', async () => {
    const name = fc.oneof(
      pathLike,
      unicodeText,
      fc.constantFrom(
        'runs',
        'runs.list.x',
        '__proto__',
        'constructor.prototype',
        'runs.list,runs.get',
        'x'.repeat(5000),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        name,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.boolean(),
        async (n, method, batch) => {
          const path = `/api/trpc/${pct(n)}${batch ? '?batch=1&input=%7B%220%22%3A1%7D' : ''}`;
          const r = await send(
            server.port,
            method,
            path,
            method === 'GET'
              ? { Host: own.Host }
              : { ...own, 'Content-Type': 'application/json', 'Content-Length': '2' },
            method === 'GET' ? undefined : '{}',
            false,
            20_000,
          );
          // a refusal, or Next's redirect of `/api/trpc/` to `/api/trpc`
          const what = `${method} ${short(path)} → ${r.status} ${r.body.slice(0, 200)}`;
          expect(r.status === 308 || (r.status >= 400 && r.status < 500), what).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);

  it('non-JSON and truncated bodies to a mutation → 400 naming the input', async () => {
    const body = fc.oneof(
      fc.constantFrom(
        '',
        '{',
        '{"id":',
        'NaN',
        'undefined',
        '\u0000',
        '{"id":"a"}{"id":"b"}',
        '\ufeff{}',
        '<xml/>',
      ),
      unicodeText,
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await send(
          server.port,
          'POST',
          '/api/trpc/runs.update',
          { ...own, 'Content-Type': 'application/json' },
          b,
          false,
          20_000,
        );
        expectClientAnswer(r, `runs.update body ${short(JSON.stringify(b))}`);
        expect(r.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('artifact paths: hostile segments → 404 (or the file), never 5xx', async () => {
    const segment = fc.oneof(
      pathLike,
      unicodeText,
      fc.constantFrom('%00', '%2e%2e', '%2f', '..%2f..%2f', '%c0%ae%c0%ae', '%ZZ', 'a%'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (parts, encode) => {
          const path = `/api/artifacts/${parts.map((s) => (encode ? pct(s) : raw(s))).join('/')}`;
          const r = await send(server.port, 'GET', path, { Host: own.Host }, undefined, false, 20_000);
          expect([200, 308, 400, 404], `${short(path)} → ${r.status}`).toContain(r.status);
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  it('pages and /api/health with hostile ids and query strings → never 5xx', async () => {
    const value = fc.oneof(pathLike, unicodeText, fc.constantFrom('x'.repeat(8000), '%', '%%', '%E0%A4%A'));
    const page = fc.constantFrom(
      '/runs/',
      '/compare?runs=',
      '/?search=',
      '/?status=',
      '/?experiment=',
      '/models?run=',
      '/ingestion?file=',
      '/anomalies?rule=',
      '/api/health?x=',
    );
    await fc.assert(
      fc.asyncProperty(page, value, fc.boolean(), async (prefix, v, encode) => {
        const path = prefix + (encode ? pct(v) : raw(v));
        const r = await send(server.port, 'GET', path, { Host: own.Host }, undefined, false, 30_000);
        expect(r.status, `${short(path)} → ${r.status}`).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
  }, 300_000);

  it('bodies over 1 MiB → 413 naming the limit, from the headers, never parsed', async () => {
    // Next drains a refused body before answering (keeping ≤ 1 MiB of it), so real bodies are sent here; the
    // answer is the proxy's refusal, not a tRPC parse of the JSON
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: BODY_LIMIT_BYTES + 1, max: 4 * BODY_LIMIT_BYTES }),
        fc.constantFrom('runs.update', 'models.promote', 'runs.list', 'no.such'),
        async (length, proc) => {
          const body = `{"id":"${'x'.repeat(length - 9)}"}`;
          const r = await send(
            server.port,
            'POST',
            `/api/trpc/${proc}`,
            { ...own, 'Content-Type': 'application/json' },
            body,
            false,
            30_000,
          );
          expect(r.status).toBe(413);
          expect(r.body).toBe(`Content-Length: ${length} bytes is over the 1048576-byte request limit\n`);
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
