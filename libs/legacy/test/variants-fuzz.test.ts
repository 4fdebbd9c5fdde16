import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extraKeys,
  flattenConfig,
  jsResave,
  noRunId,
  numbersAsStrings,
  olderFieldNames,
  pythonDump,
  timestamps,
  withBom,
  withCrlf,
} from './legacy-transforms';
import { legacyLogs } from './support';
import { baseline, importText, memoryTracker, runFixtures, sameNumber, viewRun } from './variant-support';

type Obj = Record<string, unknown>;
const FIXTURES = runFixtures();
const BASE = new Map(FIXTURES.map((f) => [f.name, baseline(f)]));

/** One random combination of what the old tools did to a log. */
const Combination = fc.record({
  numbersAsStrings: fc.boolean(),
  olderFieldNames: fc.boolean(),
  flattenConfig: fc.boolean(),
  runId: fc.constantFrom('kept', 'empty', 'missing'),
  extraKeys: fc.boolean(),
  timestamps: fc.constantFrom('as-is', 'Z', '+00:00', 'no-fraction'),
  writer: fc.constantFrom('python', 'javascript'),
  indent: fc.constantFrom(0, 2, 4),
  order: fc.constantFrom('as-is', 'reversed', 'sorted'),
  bom: fc.boolean(),
  crlf: fc.boolean(),
});
type Combination = typeof Combination extends fc.Arbitrary<infer T> ? T : never;

function transform(doc: Obj, c: Combination): string {
  let d = doc;
  if (c.extraKeys) d = extraKeys(d);
  if (c.timestamps !== 'as-is') d = timestamps(d, c.timestamps);
  if (c.numbersAsStrings) d = numbersAsStrings(d);
  if (c.olderFieldNames) d = olderFieldNames(d);
  if (c.flattenConfig) d = flattenConfig(d);
  if (c.runId !== 'kept') d = noRunId(d, c.runId);
  let text = c.writer === 'python' ? pythonDump(d, c.indent, c.order) : jsResave(d, c.indent);
  if (c.crlf) text = withCrlf(text);
  if (c.bom) text = withBom(text);
  return text;
}

describe.skipIf(FIXTURES.length === 0)(
  `fuzz (fast-check): random combinations of the old tools’ transformations (${legacyLogs.needs})`,
  () => {
    it('every shared run log still gives the same run, status, final losses and anomaly flags', () => {
      fc.assert(
        fc.property(Combination, (c) => {
          const t = memoryTracker();
          try {
            for (const f of FIXTURES) {
              const text = transform(f.doc, c);
              const d = importText(t, f.name, text, `/logs/${f.name}`);
              expect(d.outcome, `${f.name}: ${d.reason ?? ''}`).toBe('imported');
              const got = viewRun(t, d.runId!);
              const want = BASE.get(f.name)!;
              expect([got.id, got.experiment, got.status], f.name).toEqual([
                want.id,
                want.experiment,
                want.status,
              ]);
              // JSON.stringify turns NaN/±Infinity into null ("not recorded") unless default=str made them strings first
              const lost = (v: number | undefined) =>
                c.writer === 'javascript' && !c.numbersAsStrings && v !== undefined && !Number.isFinite(v);
              for (const [k, v] of Object.entries(want.finals))
                expect(sameNumber(got.finals[k], lost(v) ? undefined : v), `${f.name} ${k}`).toBe(true);
              const lostAny = Object.values(want.finals).some(lost);
              const flags = want.flags.filter((r) => !(lostAny && (r === 'nan_loss' || r === 'inf_loss')));
              expect(got.flags, f.name).toEqual(flags);
              // idempotent: the same bytes again change nothing
              expect(importText(t, f.name, text, `/logs/${f.name}`).changed, f.name).toBe(false);
            }
          } finally {
            t.close();
          }
        }),
        { numRuns: 40, seed: 0x4b454c4c },
      );
    });
  },
);
