import { NATIVE_ENV } from '@kelly/rtneural-native';
import { STORE_ENV } from '@kelly/tracking';
import { describe, expect, it } from 'vitest';
import { readEnv } from './env';

describe('dashboard env', () => {
  it("reads every store variable and the native check's (repeated here so the lib is not bundled)", () => {
    const env = readEnv({
      KELLY_HOME: '/h',
      KELLY_DATABASE_URL: 'postgres://u@db/k',
      KELLY_STALE_AFTER_S: '5',
      KELLY_TRACKING_URI: 'http://127.0.0.1:4000',
      KELLY_TRACKING_TOKEN: 't',
      KELLY_RTNEURAL_DIR: '/rt',
      CXX: 'clang++',
      KELLY_NATIVE_CACHE: '/c',
    });
    for (const k of [...Object.keys(STORE_ENV), ...Object.keys(NATIVE_ENV)]) expect(env).toHaveProperty(k);
    expect(env).toMatchObject({ KELLY_STALE_AFTER_S: 5, KELLY_RTNEURAL_DIR: '/rt', CXX: 'clang++' });
    expect(env.KELLY_DASHBOARD_HOST).toBe('127.0.0.1');
  });

  it('names a malformed variable', () => {
    expect(() => readEnv({ KELLY_DATABASE_URL: 'sqlite:x' })).toThrow(/KELLY_DATABASE_URL: must be postgres/);
    expect(() => readEnv({ KELLY_DASHBOARD_ALLOWED_HOSTS: 'http://x' })).toThrow(
      /KELLY_DASHBOARD_ALLOWED_HOSTS/,
    );
  });
});
