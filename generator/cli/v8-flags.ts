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
 * A run that goes on (`generate --watch`, `qmp --wait-job`, `qmp --events`,
 * the shell) keeps V8's defaults.
 */
const LONG_RUNNING = ['--watch', '--wait-job', '--events'];
const LONG_RUNNING_VERBS = ['shell'];

const SHORT_RUN_FLAGS = ['--no-opt', '--no-incremental-marking'];

export function isShortRun(argv: readonly string[]): boolean {
  const verb = argv.find((a) => !a.startsWith('-'));
  return !argv.some((a) => LONG_RUNNING.includes(a)) && !(verb !== undefined && LONG_RUNNING_VERBS.includes(verb));
}

/** The flags to set for this command line (none for a long run). */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return isShortRun(argv) ? SHORT_RUN_FLAGS : [];
}
