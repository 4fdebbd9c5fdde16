import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDir } from '../src/index';
import { syntheticRunId, syntheticTrainRun } from '../src/synthetic-log';
import { tempStore } from './support';

const stores: ReturnType<typeof tempStore>[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.done()));

describe('a file with NUL bytes', () => {
  it('is recorded as unparseable with its text (U+FFFD for NUL on PostgreSQL) and spoils nothing else of its batch', async () => {
    const s = tempStore();
    stores.push(s);
    const dir = join(s.root, 'logs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-nul.json'), Buffer.from('{"run_id": "x\u0000y", \u0000\u0000}'));
    const { runId } = syntheticRunId('melodytransformer', 1);
    writeFileSync(join(dir, `${runId}.json`), syntheticTrainRun({ modelId: 'melodytransformer', index: 1 }));
    const result = await ingestDir(s.tracker, dir);
    expect(result.files.map((f) => [f.relPath, f.outcome]).sort()).toEqual([
      ['a-nul.json', 'unparseable'],
      [`${runId}.json`, 'imported'],
    ]);
    const stored = s.tracker.sql
      .prepare(`SELECT raw_text, outcome FROM ingest_files WHERE rel_path = 'a-nul.json'`)
      .get() as { raw_text: string; outcome: string };
    const nul = s.tracker.sql.dialect === 'postgres' ? '\uFFFD' : '\u0000';
    expect(stored).toEqual({ raw_text: `{"run_id": "x${nul}y", ${nul}${nul}}`, outcome: 'unparseable' });
    expect(s.tracker.sql.prepare(`SELECT count(*) FROM runs WHERE id = ?`).pluck().get(runId)).toBe(1);
  });
});
