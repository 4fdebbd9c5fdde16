/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests read and mutate parsed JSON documents freely */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from './atomic-file';
import { buildModelEntry } from './model-entry';
import { publishModel, sha256Hex } from './publish';
import { summarizeRtneural } from './rtneural-summary';
import { writeCraftedModel } from './test-support/craft-run';
import { ajv, hasShared, KELLY_FIXTURES, RTNEURAL_FIXTURES, sharedNeeds } from './test-support/schema-check';

const tmp = () => mkdtempSync(join(tmpdir(), 'kelly-publish-'));
const lstmSmall = () => join(RTNEURAL_FIXTURES, 'lstm-small', 'model.json');
const run = {
  id: 'r1',
  config: { epochs: 3, train: { batchSize: 16, lr: 0.001 } },
  gitCommit: 'abc123',
  hardware: 'x86_64',
  startedAt: Date.UTC(2026, 0, 1),
  endedAt: Date.UTC(2026, 0, 1) + 95_500,
  durationS: 95.5,
  lastMetrics: { loss: 0.2, val_loss: 0.3 },
};

describe('publishModel', () => {
  it.skipIf(!hasShared)(
    `writes the model byte for byte, a schema-valid registry.json and keeps the version (${sharedNeeds})`,
    async () => {
      const out = tmp();
      const bytes = readFileSync(lstmSmall());
      const summary = summarizeRtneural(JSON.parse(bytes.toString('utf8')));
      expect(summary).toMatchObject({ inputSize: 3, outputSize: 2, layerTypes: ['lstm', 'dense'] });
      const res = await publishModel({
        outDir: out,
        modelId: 'melodytransformer',
        version: 1,
        modelBytes: bytes,
        entry: buildModelEntry({ modelId: 'melodytransformer', version: 1, summary, run }),
      });
      expect(readFileSync(join(out, 'melodytransformer.json')).equals(bytes)).toBe(true);
      expect(readFileSync(res.versionFile).equals(bytes)).toBe(true);
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      const [m] = reg.models;
      expect(m).toMatchObject({
        id: 'melodytransformer',
        file: 'melodytransformer.json',
        status: 'production',
        task: 'melody_generation',
        input_size: 3,
        output_size: 2,
      });
      expect(m.exports.sha256).toBe(sha256Hex(bytes));
      expect(m.training).toMatchObject({
        run_id: 'r1',
        duration_seconds: 95.5,
        epochs: 3,
        batch_size: 16,
        learning_rate: 0.001,
        git_commit: 'abc123',
        train_loss: 0.2,
        val_loss: 0.3,
      });
      expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
      expect(existsSync(join(out, '.registry.lock'))).toBe(false);
    },
  );

  it.skipIf(!hasShared)(
    `merges into the old registry.json of a plugin folder: other models kept, dates normalised, backup kept (${sharedNeeds})`,
    async () => {
      const out = tmp();
      const old = readFileSync(join(KELLY_FIXTURES, 'registry.json'));
      writeFileSync(join(out, 'registry.json'), old);
      const bytes = readFileSync(lstmSmall());
      await publishModel({
        outDir: out,
        modelId: 'melodytransformer',
        version: 1,
        modelBytes: bytes,
        entry: buildModelEntry({
          modelId: 'melodytransformer',
          version: 1,
          summary: summarizeRtneural(JSON.parse(bytes.toString())),
          run,
        }),
      });
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      expect(reg.models.map((m: any) => m.id)).toEqual([
        'emotionrecognizer',
        'melodytransformer',
        'harmonypredictor',
        'dynamicsengine',
        'groovepredictor',
        'instrumentrecognizer',
        'emotionnodeclassifier',
      ]);
      expect(reg.models[0].training.training_date_local).toBe('2026-01-04T07:45:06.437285');
      expect(reg.bestmodel).toMatchObject({ status: 'integrated' }); // stray keys survive
      const backups = readdirSync(join(out, 'versions')).filter((f) => f.startsWith('registry.before-'));
      expect(backups).toHaveLength(1);
      expect(readFileSync(join(out, 'versions', backups[0]!)).equals(old)).toBe(true);
    },
  );

  it('refuses to overwrite a registry.json it cannot read, naming the file', async () => {
    const out = tmp();
    writeFileSync(join(out, 'registry.json'), '{"registry_version": "1.1", "models": [');
    const bytes = readFileSync(writeCraftedModel(tmp()));
    await expect(
      publishModel({
        outDir: out,
        modelId: 'm',
        version: 1,
        modelBytes: bytes,
        entry: buildModelEntry({
          modelId: 'm',
          version: 1,
          summary: summarizeRtneural(JSON.parse(bytes.toString())),
          run,
        }),
      }),
    ).rejects.toThrow(/registry\.json: not valid JSON/);
    expect(readFileSync(join(out, 'registry.json'), 'utf8')).toBe('{"registry_version": "1.1", "models": [');
    expect(existsSync(join(out, 'm.json'))).toBe(false);
  });

  it.skipIf(!hasShared)(
    `two processes publishing at once leave a valid registry.json holding both models (${sharedNeeds})`,
    async () => {
      const out = tmp();
      const child = resolve(import.meta.dirname, 'test-support', 'publish-child.ts');
      const go = (model: string) =>
        new Promise<number>((done, fail) => {
          const p = spawn(process.execPath, ['--import', 'tsx', child, out, model, '12', lstmSmall()], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.on('error', fail);
          p.on('exit', (code) =>
            code === 0 ? done(code) : fail(new Error(`${model} child exited ${code}: ${err}`)),
          );
        });
      await Promise.all([go('groovepredictor'), go('melodytransformer')]);
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      expect(reg.models.map((m: any) => m.id).sort()).toEqual(['groovepredictor', 'melodytransformer']);
      for (const m of reg.models) {
        expect(m.exports.sha256).toBe(sha256Hex(readFileSync(join(out, m.file))));
        expect(m.training.run_id).toBe(`${m.id}-run-12`);
        expect(readdirSync(join(out, 'versions', m.id))).toHaveLength(12);
      }
    },
  );

  it('a lock left by a dead process is broken; a live one makes the second caller wait', async () => {
    const out = tmp();
    const lock = join(out, '.registry.lock');
    writeFileSync(
      lock,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), at: Date.now() }),
    );
    const release = await acquireLock(lock, { timeoutMs: 2000 });
    await expect(acquireLock(lock, { timeoutMs: 150 })).rejects.toThrow(/locked by pid \d+/);
    await release();
    const again = await acquireLock(lock, { timeoutMs: 150 });
    await again();
  });
});
