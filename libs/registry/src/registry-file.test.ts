/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests read and mutate parsed JSON documents freely */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistryText, RegistryFileSchema } from '@kelly/legacy';
import { ajv, KELLY_FIXTURES, kellyFixtures } from './test-support/schema-check';

const registryFiles = kellyFixtures.present
  ? readdirSync(KELLY_FIXTURES).filter((f) => /^registry.*\.json$/.test(f) && !f.includes('schema'))
  : [];

/** Moves the old naive timestamps out of `date-time` fields, the way publish.ts does. */
function withIsoDates(doc: any): any {
  const d = structuredClone(doc);
  d.generated_at = '2026-01-04T08:02:15.976Z';
  for (const m of d.models) if (m.training) delete m.training.training_date;
  return d;
}

describe.skipIf(!kellyFixtures.present)(`zod mirror of registry.schema.json (${kellyFixtures.needs})`, () => {
  it('finds the real registry files', () => expect(registryFiles.length).toBeGreaterThanOrEqual(10));

  it.each(registryFiles)('%s: zod and ajv (real schema) agree, before and after date normalisation', (f) => {
    const doc = JSON.parse(readFileSync(join(KELLY_FIXTURES, f), 'utf8'));
    expect(RegistryFileSchema.safeParse(doc).success).toBe(ajv(doc).length === 0);
    const fixed = withIsoDates(doc);
    expect(ajv(fixed)).toEqual([]);
    expect(RegistryFileSchema.safeParse(fixed).success).toBe(true);
  });

  const base = () => withIsoDates(JSON.parse(readFileSync(join(KELLY_FIXTURES, 'registry.json'), 'utf8')));
  const mutations: [string, (d: any) => void][] = [
    ['unknown status', (d) => (d.models[0].status = 'integrated')],
    ['id with a capital', (d) => (d.models[0].id = 'Melody')],
    ['non-integer input_size', (d) => (d.models[0].input_size = 1.5)],
    ['zero output_size', (d) => (d.models[0].output_size = 0)],
    ['missing file', (d) => delete d.models[0].file],
    ['unknown task', (d) => (d.models[0].task = 'melody')],
    ['unknown format', (d) => (d.models[0].format = 'rtneural')],
    ['negative duration', (d) => (d.models[0].training.duration_seconds = -1)],
    ['fractional epochs', (d) => (d.models[0].training.epochs = 2.5)],
    ['string sha256 replaced by number', (d) => (d.models[0].exports.sha256 = 5)],
    ['bad registry_version', (d) => (d.registry_version = '1')],
    ['naive generated_at', (d) => (d.generated_at = '2026-01-04T08:02:15')],
    ['models not an array', (d) => (d.models = {})],
    ['integration flag as string', (d) => (d.models[0].integration.python_api = 'True')],
  ];
  it.each(mutations)('both reject: %s', (_name, mutate) => {
    const d = base();
    mutate(d);
    expect(ajv(d).length).toBeGreaterThan(0);
    expect(RegistryFileSchema.safeParse(d).success).toBe(false);
  });

  it('parseRegistryText names the file and the field', () => {
    const d = base();
    d.models[1].status = 'integrated';
    expect(() => parseRegistryText(JSON.stringify(d), '/x/registry.json')).toThrow(
      /\/x\/registry\.json: .*models\.1\.status/,
    );
    expect(() => parseRegistryText('{"registry_version": "1.1", "models": [', '/x/registry.json')).toThrow(
      /\/x\/registry\.json: not valid JSON/,
    );
  });
});
