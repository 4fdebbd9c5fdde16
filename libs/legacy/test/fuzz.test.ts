import { testStoreLocation } from '@kelly/test-support';
import { openTracker } from '@kelly/tracking';
import { ingestLegacyFile, type IngestDecision } from '../src/index';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticTrainRun } from '../src/synthetic-log';
import { LEGACY_LOGS, legacyLogs } from './support';

const MUTATIONS = 10_000;

/** mulberry32: a small seeded PRNG so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();

/** Valid logs to mutate: the shared fixtures that parse (when present) plus synthetic ones of every status. */
function seeds(): Uint8Array[] {
  const out = [
    syntheticTrainRun({ index: 1 }),
    syntheticTrainRun({ index: 2, success: false, error: 'mat1 and mat2 shapes cannot be multiplied' }),
    syntheticTrainRun({ index: 3, success: false, error: '' }),
    syntheticTrainRun({ index: 4, finalTrainLoss: NaN, finalValLoss: Infinity, bestValLoss: -Infinity }),
  ].map((t) => enc.encode(t));
  if (legacyLogs.present)
    for (const f of readdirSync(LEGACY_LOGS).filter((n) => n.endsWith('.json')))
      out.push(new Uint8Array(readFileSync(join(LEGACY_LOGS, f))));
  return out.filter((b) => b.length > 0);
}

type Mutation = (b: Uint8Array, r: () => number, other: Uint8Array) => Uint8Array;
const at = (r: () => number, n: number) => Math.floor(r() * n);
const splice = (b: Uint8Array, i: number, del: number, ins: Uint8Array) => {
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, i));
  out.set(ins, i);
  out.set(b.subarray(i + del), i + ins.length);
  return out;
};
const MUTATORS: Record<string, Mutation> = {
  truncate: (b, r) => b.slice(0, at(r, b.length)),
  flipBytes: (b, r) => {
    const out = b.slice();
    for (let k = 1 + at(r, 3); k > 0; k--) out[at(r, out.length)] = at(r, 256);
    return out;
  },
  spliceNaN: (b, r) => {
    // replace a number token (or insert at random) with NaN / Infinity / -Infinity
    const text = new TextDecoder().decode(b);
    const numbers = [...text.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
    const token = enc.encode(['NaN', 'Infinity', '-Infinity'][at(r, 3)]);
    const m = numbers[at(r, numbers.length)];
    if (!m || r() < 0.2) return splice(b, at(r, b.length + 1), 0, token);
    const start = enc.encode(text.slice(0, m.index)).length;
    return splice(b, start, enc.encode(m[0]).length, token);
  },
  insertJunk: (b, r) => {
    const junk = new Uint8Array(1 + at(r, 24)).map(() => (r() < 0.5 ? 32 + at(r, 95) : at(r, 256)));
    return splice(b, at(r, b.length + 1), 0, junk);
  },
  renameKeys: (b, r) => {
    // valid JSON that drifts away from the run-log shape (ends ignored or fails the schema)
    const text = new TextDecoder()
      .decode(b)
      .replace(/"(\w+)":/g, (m, k: string) => (r() < 0.9 ? `"x_${k}":` : m));
    return enc.encode(text);
  },
  concatenateWrites: (b, r, other) => {
    const second = r() < 0.5 ? other : other.subarray(0, at(r, other.length));
    const out = new Uint8Array(b.length + second.length);
    out.set(b);
    out.set(second, b.length);
    return out;
  },
};

describe('fuzz: 10,000 mutated legacy logs through the importer', () => {
  it('never throws; every file ends imported, duplicate, conflict, unparseable or ignored, with a reason where due', () => {
    const r = prng(0x4b454c4c);
    const pool = seeds();
    const names = Object.keys(MUTATORS);
    const tracker = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
    const outcomes: Record<string, number> = {};
    const perMutator: Record<string, number> = {};
    const decisions: IngestDecision[] = [];
    try {
      for (let batch = 0; batch < MUTATIONS; batch += 500) {
        // one transaction per 500 files, as ingestDir does (each file is its own savepoint inside)
        tracker.sql
          .transaction(() => {
            for (let i = batch; i < Math.min(batch + 500, MUTATIONS); i++) {
              let bytes = pool[at(r, pool.length)]!;
              const rounds = r() < 0.8 ? 1 : 2;
              for (let k = 0; k < rounds; k++) {
                const name = names[at(r, names.length)]!;
                perMutator[name] = (perMutator[name] ?? 0) + 1;
                bytes = MUTATORS[name]!(bytes, r, pool[at(r, pool.length)]!);
              }
              let d: IngestDecision;
              try {
                d = ingestLegacyFile(tracker, {
                  path: `/fuzz/${i}.json`,
                  dir: '/fuzz',
                  relPath: `${i}.json`,
                  bytes,
                });
              } catch (e) {
                throw new Error(`mutation ${i} threw out of the importer: ${String(e)}`);
              }
              decisions.push(d);
              outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
            }
          })
          .immediate();
      }
      for (const d of decisions) {
        expect(['imported', 'duplicate', 'conflict', 'unparseable', 'ignored'], d.relPath).toContain(
          d.outcome,
        );
        if (d.outcome !== 'imported') expect(d.reason, `${d.relPath} ${d.outcome}`).toBeTruthy();
        if (d.outcome === 'imported' || d.outcome === 'duplicate') expect(d.runId, d.relPath).toBeTruthy();
      }
      if (process.env.FUZZ_DEBUG)
        console.log(
          outcomes,
          decisions
            .filter((d) => d.reason?.startsWith('import failed'))
            .slice(0, 5)
            .map((d) => d.reason),
          decisions
            .filter((d) => d.outcome === 'ignored')
            .slice(0, 3)
            .map((d) => d.reason),
        );
      // every recorded run exists, and nothing imported was lost
      const runs = new Set(
        (tracker.sql.prepare(`SELECT id FROM runs`).all() as { id: string }[]).map((x) => x.id),
      );
      for (const d of decisions)
        if (d.runId) expect(runs.has(d.runId), `${d.relPath} ${JSON.stringify(d)}`).toBe(true);
      expect((tracker.sql.prepare(`SELECT count(*) AS n FROM ingest_files`).get() as { n: number }).n).toBe(
        MUTATIONS,
      );
      // the mutations really exercised every path
      expect(Object.keys(perMutator).sort()).toEqual(names.sort());
      // (copies of a conflicting file conflict too, so few mutated files end as plain duplicates)
      for (const o of ['imported', 'conflict', 'unparseable', 'ignored'])
        expect(outcomes[o] ?? 0, o).toBeGreaterThan(50);
      expect(outcomes.duplicate ?? 0).toBeGreaterThan(0);
    } finally {
      tracker.close();
    }
  });
});
