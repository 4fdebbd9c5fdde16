import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'rtneural-native',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // the first test to need the runner builds it (~15-30 s of g++); later ones reuse the cached binary
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
