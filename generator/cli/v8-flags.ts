/**
 * Whether a command line runs briefly, and so without V8's optimizing
 * compiler: a run that reads a schema, prints or writes, and ends runs its
 * code once, mostly before optimizing would pay for itself, and compiling
 * its large functions costs more than it saves (`npm run bench`, the
 * "optimizer on" row: about 1.2x the time for QEMU 7.2's schema).  A run
 * that goes on (`generate --watch`, `qmp --wait-job`, `qmp --events`, the
 * shell) keeps the optimizer.
 */
const LONG_RUNNING = ['--watch', '--wait-job', '--events'];
const LONG_RUNNING_VERBS = ['shell'];

export function isShortRun(argv: readonly string[]): boolean {
  const verb = argv.find((a) => !a.startsWith('-'));
  return !argv.some((a) => LONG_RUNNING.includes(a)) && !(verb !== undefined && LONG_RUNNING_VERBS.includes(verb));
}
