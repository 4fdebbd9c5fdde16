import { parsePythonJson } from '../src/index';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticTrainRun } from '../src/synthetic-log';
import { LEGACY_LOGS, legacyLogs } from './support';

const MODELS = ['melodytransformer', 'groovepredictor', 'emotionrecognizer', 'emotionnodeclassifier'];
const parsed = (text: string | Buffer) => {
  const r = parsePythonJson(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value as { config: Record<string, unknown> } & Record<string, unknown>;
};

/** The bench and tests generate logs; they must look like the real ones, or the bench measures other files. */
describe.skipIf(!legacyLogs.present)(`synthetic legacy logs vs the real ones (${legacyLogs.needs})`, () => {
  const real = readdirSync(LEGACY_LOGS)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const r = parsePythonJson(readFileSync(join(LEGACY_LOGS, f)));
      return r.ok
        ? [{ f, doc: r.value as { config: Record<string, unknown> } & Record<string, unknown> }]
        : [];
    });

  it('have the same top-level fields and the same config fields, in the same order, as every real log', () => {
    expect(real.length).toBeGreaterThan(20);
    for (const m of MODELS) {
      const doc = parsed(syntheticTrainRun({ modelId: m }));
      for (const { f, doc: r } of real) {
        expect(Object.keys(doc), f).toEqual(Object.keys(r));
        expect(Object.keys(doc.config), f).toEqual(Object.keys(r.config));
      }
    }
  });

  it('are about as large as the real successful logs with exports', () => {
    const sizes = real
      .filter(
        ({ doc }) => doc.success === true && Array.isArray(doc.output_files) && doc.output_files.length > 0,
      )
      .map(({ f }) => readFileSync(join(LEGACY_LOGS, f)).length);
    const min = Math.min(...sizes);
    const max = Math.max(...sizes);
    for (const m of MODELS) {
      const n = Buffer.byteLength(syntheticTrainRun({ modelId: m }));
      expect(n).toBeGreaterThanOrEqual(min * 0.9);
      expect(n).toBeLessThanOrEqual(max * 1.1);
    }
  });
});
