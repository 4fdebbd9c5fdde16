import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { fixture } from '@kelly/test-support';
import { readFileSync } from 'node:fs';

/**
 * The old Kelly files and the RTNeural test vectors in ../shared/fixtures. Tests that read them skip naming the
 * folder when it is absent (fail under KELLY_REQUIRE_FIXTURES=1); the others use crafted files (craft-run.ts).
 */
export const kellyFixtures = fixture('kelly');
export const rtneuralFixtures = fixture('rtneural');
export const KELLY_FIXTURES = kellyFixtures.path;
export const RTNEURAL_FIXTURES = rtneuralFixtures.path;
/** Both folders: the real registry.schema.json and a real exported model. */
export const hasShared = kellyFixtures.present && rtneuralFixtures.present;
export const sharedNeeds = `${kellyFixtures.needs} and ${rtneuralFixtures.needs.replace(/^needs /, '')}`;

let compiled: ((doc: unknown) => string[]) | undefined;

/** Validates with ajv against the REAL `registry.schema.json` (draft-07, formats checked); compiled once. */
export function schemaValidator(): (doc: unknown) => string[] {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(`${KELLY_FIXTURES}/registry.schema.json`, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  compiled = (doc) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  return compiled;
}

/** `schemaValidator()(doc)`, for suites that call it only from tests that skip without the fixtures. */
export const ajv = (doc: unknown): string[] => schemaValidator()(doc);
