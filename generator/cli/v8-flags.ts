/**
 * The V8 flags of a command line that runs briefly.  A run that reads a
 * schema, prints or writes, and ends:
 * - runs its code once, mostly before optimizing would pay for itself, and
 *   compiling its large functions costs more than it saves (`npm run
 *   bench`, the "optimizer on" row: about 1.2x the time for QEMU 7.2's
 *   schema): `--no-opt`;
 * - grows its heap past the point where V8 starts marking the old
 *   generation incrementally, and then spends some 10 ms of CPU at exit
 *   finishing a collection nobody needs; without incremental marking, a
 *   run that ends before its heap is full collects nothing there:
 *   `--no-incremental-marking`.
 * `check` also keeps its young generation at its first size (1 MB here)
 * instead of growing it to 16: nearly all it allocates lives to the end
 * (the tree, the docs, the model), so a larger young generation scavenges
 * no less of it, and only touches more fresh memory, which costs a page
 * fault a page (some 1.7 us each on this machine's VM) and more to free
 * at exit.  QEMU 7.2's check: 34 scavenges instead of 9, 2,500 fewer page
 * faults, 7 ms less CPU, 135.7 -> 134.5 ms (median of 81 paired runs;
 * 10.2's the same within the noise).  With so many scavenges, handing
 * each to V8's helper threads and waiting for them costs more than their
 * help on a couple of cores: `--no-parallel-scavenge`, 122.2 -> 121.1 ms
 * (81 paired runs; 10.2's 131.5 -> 129.6), and the array buffers a
 * scavenge frees are swept in it rather than by a job posted for each
 * (`--no-concurrent-array-buffer-sweeping`, 122.7 -> 121.8, 10.2's 132.9
 * -> 131.3).  (`--single-threaded-gc`, which implies both, also turns off
 * cppgc's concurrent marking, and set after V8 has set up its heap that
 * aborts V8 at the first full collection:
 * test/cli/full-collection.process.test.ts holds these flags to one.)
 * Not for the other short runs: `generate` of 7.2 takes 474 -> 510 ms
 * with the first.
 * (A young generation grown fourfold rather than twofold scavenges QEMU
 * 7.2's tree five times instead of nine, but the paired runs show no less
 * time: each scavenge copies what survives, and nearly all of it does.)
 * A run that goes on (`generate --watch`, `qmp --wait-job`, `qmp --events`,
 * the shell) keeps V8's defaults.
 *
 * A code cache is accepted only under the flags it was made with: the
 * build makes `check`'s own under `check`'s flags, the whole CLI's under
 * those of the other short runs (generator/cli/bundle.ts).
 */
const LONG_RUNNING = ['--watch', '--wait-job', '--events'];
const LONG_RUNNING_VERBS = ['shell'];

const SHORT_RUN_FLAGS = ['--no-opt', '--no-incremental-marking'];
const CHECK_FLAGS = [...SHORT_RUN_FLAGS, '--semi-space-growth-factor=1', '--no-parallel-scavenge', '--no-concurrent-array-buffer-sweeping'];

/** How a command line runs: `check` (a short run that reads a schema and
 *  nothing else), another short run, or a long one. */
export type RunKind = 'check' | 'short' | 'long';

/** The verb of a command line: its first word that is no flag. */
function verbOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

export function isShortRun(argv: readonly string[]): boolean {
  const verb = verbOf(argv);
  return !argv.some((a) => LONG_RUNNING.includes(a)) && !(verb !== undefined && LONG_RUNNING_VERBS.includes(verb));
}

export function runKindOf(argv: readonly string[]): RunKind {
  if (!isShortRun(argv)) return 'long';
  return verbOf(argv) === 'check' ? 'check' : 'short';
}

/** The flags to set for this command line (none for a long run). */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  switch (runKindOf(argv)) {
    case 'check':
      return CHECK_FLAGS;
    case 'short':
      return SHORT_RUN_FLAGS;
    case 'long':
      return [];
  }
}

/**
 * The verbs whose work is over when the CLI's promise settles: they read
 * files (or ask a QEMU binary, reaped before the promise settles) and write
 * files or their output, and leave nothing running.
 */
const DONE_WHEN_SETTLED = ['check', 'generate', 'dump', 'jsonschema'];

/**
 * Whether the process may end as soon as the run's output is out (main.ts),
 * rather than when Node has torn down a heap nobody needs any more: freeing
 * the pages of `check`'s heap is some 5 ms of QEMU 7.2's 170.  Short runs
 * of the verbs above only; any other keeps Node's own ending.
 */
export function endsWhenSettled(argv: readonly string[]): boolean {
  const verb = verbOf(argv);
  return isShortRun(argv) && verb !== undefined && DONE_WHEN_SETTLED.includes(verb);
}
