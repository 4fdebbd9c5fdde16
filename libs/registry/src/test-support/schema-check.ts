import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** ../shared/fixtures (relative to the repo root, where vitest runs). Tests skip with a reason when it is absent. */
export const SHARED = resolve(process.cwd(), '../shared/fixtures');
export const KELLY_FIXTURES = resolve(SHARED, 'kelly');
export const RTNEURAL_FIXTURES = resolve(SHARED, 'rtneural');
export const hasShared = existsSync(KELLY_FIXTURES) && existsSync(RTNEURAL_FIXTURES);

/** Validates with ajv against the REAL `registry.schema.json` (draft-07, formats checked). */
export function schemaValidator(): (doc: unknown) => string[] {
  const schema = JSON.parse(readFileSync(resolve(KELLY_FIXTURES, 'registry.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (doc) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
