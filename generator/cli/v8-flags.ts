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
 * (A young generation grown fourfold rather than twofold scavenges QEMU
 * 7.2's tree five times instead of nine, but the paired runs show no less
 * time: each scavenge copies what survives, and nearly all of it does.)
 * A run that goes on (`generate --watch`, `qmp --wait-job`, `qmp --events`,
 * the shell) keeps V8's defaults.
 */
const LONG_RUNNING = ['--watch', '--wait-job', '--events'];
const LONG_RUNNING_VERBS = ['shell'];

const SHORT_RUN_FLAGS = ['--no-opt', '--no-incremental-marking'];

/** The verb of a command line: its first word that is no flag. */
export function verbOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

export function isShortRun(argv: readonly string[]): boolean {
  const verb = verbOf(argv);
  return !argv.some((a) => LONG_RUNNING.includes(a)) && !(verb !== undefined && LONG_RUNNING_VERBS.includes(verb));
}

/** The flags to set for this command line (none for a long run). */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return isShortRun(argv) ? SHORT_RUN_FLAGS : [];
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
