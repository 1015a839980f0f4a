import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { leaveCaCertsToNpm } from './test/setup/child-env.js';
import { TierSequencer } from './test/setup/sequencer.js';
import { TIERS, tierExclude, tierInclude } from './test/setup/tiers.js';

// Before any worker starts: the suite's Node processes need no extra CA
// certificates, and reading them costs each one 47 ms of CPU here
// (test/setup/child-env.ts); npm's processes get them back.
leaveCaCertsToNpm();

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
    // One project per tier, a file's tier written in its name
    // (test/setup/tiers.ts; docs/development.md): `vitest run` runs them
    // all, `--project unit` the loop that needs no build.
    projects: TIERS.map((tier) => ({
      extends: true,
      test: {
        name: tier.name,
        include: [tierInclude(tier.name)],
        exclude: [...configDefaults.exclude, ...tierExclude(tier.name)],
        // Only the tiers that run the build wait for it.
        globalSetup: [tier.needs === 'build' ? 'test/setup/build.ts' : 'test/setup/grammar.ts'],
        setupFiles: tier.name === 'unit' ? ['test/setup/in-process.ts'] : [],
        // Test files leave no state behind them (they restore what they
        // change), so one worker runs many files without loading the sources,
        // the bindings and the compilers again for each: a third of the unit
        // tier's time.  (The stamp test, which spies on a module of the
        // sources, loads them afresh around its spy.)
        isolate: false,
      },
    })),
    // The tiers together, the longest files first (test/setup/sequencer.ts).
    sequence: { sequencer: TierSequencer },
    // Each module transformed once for the whole run, kept on disk (in
    // node_modules/.experimental-vitest-cache, keyed by its content and the
    // config): every tier's workers read it instead of transforming the
    // sources again.  (The run under Node 24 keeps entries of its own:
    // the key holds the running Node's list of built-in modules.)
    experimental: { fsModuleCache: true },
    // Bindings the fuzzer's target writes and runs (a fresh folder each
    // run, so never in that cache), loaded by Node itself as a user's
    // program loads them, on the built runtime: through vite, their
    // modules (some 16 MB of JavaScript a run) were transformed, source
    // maps and all, only to be thrown away.
    server: { deps: { external: [/\/\.fuzz-bindings-[^/]+\//, /\/test\/\.out-hostile-[^/]+\//] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default leaves one core to itself: on two cores, one worker,
    // idle while its tests wait on the processes they start.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Memory bounds are measured from a collected heap (test/runtime/helpers/watch.ts),
    // and count garbage made since the last collection as memory in use:
    // the young generation is held at 16 MiB per half, V8's size under
    // Node 20, which Node 24 lets grow further in a worker that has run
    // many files (the nodes tier), past those bounds.
    execArgv: ['--expose-gc', '--max-semi-space-size=16'],
  },
});
