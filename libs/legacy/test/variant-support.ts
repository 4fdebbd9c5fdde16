import { testStoreLocation } from '@kelly/test-support';
import { decodeJson, openTracker, type Tracker } from '@kelly/tracking';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestLegacyFile, parsePythonJson, type IngestDecision } from '../src/index';
import { LEGACY_LOGS } from './support';

type Obj = Record<string, unknown>;

/** A shared fixture that reads as a run: its file name, bytes and parsed document. */
export interface RunFixture {
  name: string;
  bytes: Uint8Array;
  doc: Obj;
}

/** Every shared legacy-log fixture that parses to an object (the run logs; not the truncated/empty/console ones). */
export function runFixtures(): RunFixture[] {
  if (!existsSync(LEGACY_LOGS)) return [];
  const out: RunFixture[] = [];
  for (const name of readdirSync(LEGACY_LOGS)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const bytes = new Uint8Array(readFileSync(join(LEGACY_LOGS, name)));
    const parsed = parsePythonJson(bytes);
    if (
      parsed.ok &&
      typeof parsed.value === 'object' &&
      parsed.value !== null &&
      !Array.isArray(parsed.value)
    )
      out.push({ name, bytes, doc: parsed.value });
  }
  return out;
}

/** What a test compares between a run imported from a fixture and from a transformed copy. */
export interface RunView {
  id: string;
  experiment: string;
  status: string;
  /** final_train_loss, final_val_loss, final_test_loss, best_val_loss, best_epoch as stored in the summary. */
  finals: Record<string, number | undefined>;
  flags: string[];
  notes: string[];
  summary: Obj;
  config: Obj;
  tags: string[];
  startedAt: number;
}

/** A tracker on an empty store: SQLite in memory, or a fresh PostgreSQL database in legacy@pg. */
export const memoryTracker = (): Tracker =>
  openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });

export function importText(
  tracker: Tracker,
  relPath: string,
  text: string | Uint8Array,
  dir = '/logs',
): IngestDecision {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return ingestLegacyFile(tracker, {
    path: `${dir}/${relPath}`,
    dir,
    relPath,
    bytes,
    mtimeMs: 1_767_000_000_000,
  });
}

const FINALS = ['final_train_loss', 'final_val_loss', 'final_test_loss', 'best_val_loss', 'best_epoch'];

export function viewRun(tracker: Tracker, id: string): RunView {
  const r = tracker.sql
    .prepare(
      `SELECT id, experiment, status, summary, config, tags, started_at AS "startedAt" FROM runs WHERE id = ?`,
    )
    .get(id) as {
    id: string;
    experiment: string;
    status: string;
    summary: string;
    config: string;
    tags: string;
    startedAt: number;
  };
  if (!r) throw new Error(`no run ${id}`);
  const s = (decodeJson(r.summary) ?? {}) as Obj;
  return {
    id: r.id,
    experiment: r.experiment,
    status: r.status,
    finals: Object.fromEntries(FINALS.map((k) => [k, typeof s[k] === 'number' ? s[k] : undefined])),
    flags: tracker.sql
      .prepare(`SELECT rule FROM anomalies WHERE run_id = ? ORDER BY rule`)
      .pluck()
      .all(id) as string[],
    notes: Array.isArray(s.import_notes) ? (s.import_notes as string[]) : [],
    summary: s,
    config: decodeJson(r.config) as Obj,
    tags: JSON.parse(r.tags) as string[],
    startedAt: r.startedAt,
  };
}

/** The run a fixture makes when imported untouched into its own store. */
export function baseline(f: RunFixture): RunView {
  const t = memoryTracker();
  try {
    const d = importText(t, f.name, f.bytes);
    if (!d.runId) throw new Error(`${f.name}: ${d.outcome} ${d.reason ?? ''}`);
    return viewRun(t, d.runId);
  } finally {
    t.close();
  }
}

/** Metric points of one key, ordered by step. */
export function points(tracker: Tracker, runId: string, key: string) {
  return tracker.sql
    .prepare(`SELECT step, epoch, value, flag FROM metrics WHERE run_id = ? AND key = ? ORDER BY step`)
    .all(runId, key) as { step: number; epoch: number | null; value: number | null; flag: number }[];
}

/** Same number, NaN equal to NaN. */
export const sameNumber = (a: number | undefined, b: number | undefined) =>
  a === b || (Number.isNaN(a) && Number.isNaN(b));
