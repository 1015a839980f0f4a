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
 * the shell) keeps V8's defaults, but for one thing: a watch starts
 * without the optimizer, and its warm-up turns it on (`optimizerOn`, from
 * generate-command.ts).  With the optimizer on from the start, the first
 * edits ran while TurboFan compiled what they run: an edit to QEMU 7.2's
 * block-core.json made as soon as the watch said it was watching took
 * 120 to 136 ms, later ones 63 to 72.  Without it throughout, every edit
 * took 82 to 86 ms.  Without it until the warm-up (half a second of idle
 * time after a run), which then has the optimizer compile the path an edit
 * takes: the first edit 84 to 85 ms, the first after the warm-up 80 to
 * 89, later ones 66 to 69 (`node bench/watch.mjs`, two runs each,
 * 2026-12-08).  The flag is only set back to V8's default.
 * `fake-qemu` and `record` serve until stopped, but run as short runs, on
 * purpose: a consumer's test suite starts one per test, and what it pays
 * is the start-up, which the short runs' code cache shortens (fake-qemu
 * serving QEMU 7.2's capture listens 98 ms after it is started as a short
 * run, 110 ms as a long one, 2026-12-08); what they serve is light.
 *
 * A code cache is accepted only under the flags it was made with: the
 * build makes `check`'s own under `check`'s flags, the whole CLI's under
 * those of the other short runs (generator/cli/bundle.ts).
 */
import { setFlagsFromString } from 'node:v8';

const LONG_RUNNING = ['--watch', '--wait-job', '--events'];
const LONG_RUNNING_VERBS = ['shell'];

const SHORT_RUN_FLAGS = ['--no-opt', '--no-incremental-marking'];
const WATCH_FLAGS = ['--no-opt'];
const CHECK_FLAGS = [...SHORT_RUN_FLAGS, '--semi-space-growth-factor=1', '--no-parallel-scavenge', '--no-concurrent-array-buffer-sweeping'];

/** How a command line runs: `check` (a short run that reads a schema and
 *  nothing else), another short run, a watch, or another long run. */
export type RunKind = 'check' | 'short' | 'watch' | 'long';

/** The verb of a command line: its first word that is no flag. */
function verbOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

export function isShortRun(argv: readonly string[]): boolean {
  const verb = verbOf(argv);
  return !argv.some((a) => LONG_RUNNING.includes(a)) && !(verb !== undefined && LONG_RUNNING_VERBS.includes(verb));
}

export function runKindOf(argv: readonly string[]): RunKind {
  if (argv.includes('--watch')) return 'watch';
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
    case 'watch':
      return WATCH_FLAGS;
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

/** Turns V8's optimizer on (back to its default), in a run that started
 *  without it: a watch, once it warms up. */
export function optimizerOn(): void {
  setFlagsFromString('--opt');
}
