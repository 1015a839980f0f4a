/**
 * Whether a command line runs briefly, and so without V8's optimizing
 * compiler: a run that reads a schema, prints or writes, and ends runs its
 * code once, mostly before optimizing would pay for itself, and compiling
 * its large functions costs more than it saves (`npm run bench`, the
 * "optimizer on" row: about 1.2x the time for QEMU 7.2's schema).  A run
 * that goes on (`generate --watch`, `qmp --wait-job`) keeps the optimizer.
 */
const LONG_RUNNING = ['--watch', '--wait-job'];

export function isShortRun(argv: readonly string[]): boolean {
  return !argv.some((a) => LONG_RUNNING.includes(a));
}
