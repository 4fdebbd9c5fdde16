import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnv, STORE_ENV } from '../src/index';

describe('STORE_ENV / parseEnv', () => {
  const schema = z.object({ ...STORE_ENV, EXTRA: z.enum(['0', '1']).optional() });

  it('reads the store variables, coerced, and ignores the rest of the environment', () => {
    expect(
      parseEnv(schema, {
        KELLY_HOME: '/data/kelly',
        KELLY_STALE_AFTER_S: '30',
        KELLY_DATABASE_URL: 'postgres://u:p@db:5432/kelly',
        PATH: '/usr/bin',
      }),
    ).toEqual({
      KELLY_HOME: '/data/kelly',
      KELLY_STALE_AFTER_S: 30,
      KELLY_DATABASE_URL: 'postgres://u:p@db:5432/kelly',
    });
  });

  it.each([
    ['KELLY_DATABASE_URL', 'mysql://x', /KELLY_DATABASE_URL: must be postgres:\/\//],
    ['KELLY_TRACKING_URI', 'http://host:1/path', /KELLY_TRACKING_URI: must be http:\/\/host:port/],
    ['KELLY_STALE_AFTER_S', '-5', /KELLY_STALE_AFTER_S/],
    ['KELLY_HOME', '', /KELLY_HOME/],
    ['EXTRA', '2', /EXTRA/],
  ])('names %s when it is malformed', (name, value, message) => {
    expect(() => parseEnv(schema, { [name]: value })).toThrow(message);
    expect(() => parseEnv(schema, { [name]: value })).toThrow(/^environment variable /);
  });
});
