#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 *
 * The package's bin is main.cjs, this module and the three it imports
 * bundled as CommonJS by build/bundle.mjs: Node starts a CommonJS entry
 * without its ES module loader, and one file is one read, which together
 * spare a short run about a twentieth of its time.  This module stays the
 * entry of a build without that step.
 */
import { setFlagsFromString } from 'node:v8';
import { loadCli } from './bundle.js';
import { processIo } from './stdio.js';
import { endsWhenSettled, v8FlagsFor } from './v8-flags.js';

const argv = process.argv.slice(2);

// Set before the CLI's code is compiled (v8-flags.ts says why); these are
// the only V8 flags qapi-ts changes at run time.
for (const flag of v8FlagsFor(argv)) setFlagsFromString(flag);

async function main(): Promise<void> {
  // The bundled CLI with its code cache, where the build made them (bundle.ts).
  const { runCli } = await loadCli(argv);
  // The bundle runs through node:vm, where an import() of a user's module
  // cannot be made: the entry lends its own (CliIo.importModule).
  const io = processIo((url) => import(url));
  process.exitCode = io.settle(await runCli(argv, io));
  if (endsWhenSettled(argv)) {
    // Its output out, the run is over: end without freeing the heap page
    // by page (v8-flags.ts).  A write that failed meanwhile has set the
    // exit code (stdio.ts).
    await io.flushed();
    process.exit();
  }
}

void main();
