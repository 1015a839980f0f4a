import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Build first: tests that run dist/ then exercise the working tree.
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Memory bounds are measured from a collected heap (test/runtime/helpers/watch.ts).
    execArgv: ['--expose-gc'],
  },
});
