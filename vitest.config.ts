import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const runtime = fileURLToPath(new URL('./runtime/', import.meta.url));

export default defineConfig({
  resolve: {
    // The runtime package's sources stand in for its build, as in
    // tsconfig.json: generator, runtime, tests and the bindings they import
    // share one copy of each runtime module.  Processes the tests start run
    // the build (dist/, runtime/dist/), as users do.
    alias: [
      { find: /^qapi-ts-runtime$/, replacement: `${runtime}index.ts` },
      { find: /^qapi-ts-runtime\/(.+)$/, replacement: `${runtime}$1.ts` },
    ],
  },
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
