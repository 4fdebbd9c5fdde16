import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_CASES,
  HAVE_RTNEURAL_FIXTURES,
  RTNEURAL_FIXTURES,
  rtneuralFixtures,
} from './test-support/fixtures';
import { readRtneuralModelFile, validateRtneuralText } from './model-file';

const text = (w: string) =>
  `{"in_shape":[null,null,1],"layers":[{"type":"dense","activation":"","shape":[null,null,1],"weights":[[[${w}]],[0]]}]}`;

describe('RTNeural model files', () => {
  it("reports Python's bare NaN as invalid JSON at $ with a hint, and null at its path", () => {
    expect(validateRtneuralText(text('NaN')).errors).toEqual([
      { path: '$', message: expect.stringMatching(/not valid JSON.*bare NaN at character \d+/) },
    ]);
    expect(validateRtneuralText(text('-Infinity')).errors[0]?.message).toMatch(/bare -Infinity/);
    expect(validateRtneuralText(text('null')).errors).toEqual([
      {
        path: 'layers[0].weights[0][0][0]',
        message: expect.stringMatching(/null where a number is required/),
      },
    ]);
    expect(validateRtneuralText(text('0.5')).ok).toBe(true);
  });

  it('readRtneuralModelFile names the file in its error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rtneural-')), 'broken.json');
    writeFileSync(file, text('NaN'));
    expect(() => readRtneuralModelFile(file)).toThrow(
      /broken\.json is not a valid RTNeural model:\n {2}\$: not valid JSON/,
    );
  });

  it.skipIf(!HAVE_RTNEURAL_FIXTURES)(`reads a fixture model file (${rtneuralFixtures.needs})`, () => {
    const model = readRtneuralModelFile(join(RTNEURAL_FIXTURES, FIXTURE_CASES[0], 'model.json'));
    expect(model.layers.map((l) => l.type)).toEqual(['dense', 'dense']);
  });
});
