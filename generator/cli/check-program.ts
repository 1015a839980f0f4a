/**
 * The CLI for a command line whose verb is `check`: the entry of `check`'s
 * own bundle (build/bundle.mjs), which main.js loads for such a command
 * line (bundle.ts).  For it the whole CLI builds the same program, with no
 * other verb (command-line.ts); leaving out the other verbs' code (the
 * emitter, the QMP client, the span of releases) halves the file a check
 * reads and the code cache V8 reads with it.
 */
import { needsNoLazyVerb, runCommandLine } from './command-line.js';
import type { CliIo } from './io.js';

/** Runs a `check` command line; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The loader picks this bundle only for such a command line; any other
  // would find its verb missing here, where the whole CLI has it.
  if (!needsNoLazyVerb(argv)) throw new Error(`check's CLI was loaded for 'qapi-ts ${argv.join(' ')}'`);
  return runCommandLine(argv, io, {});
}
