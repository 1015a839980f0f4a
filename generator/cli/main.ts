#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 */
import { setFlagsFromString } from 'node:v8';
import { v8FlagsFor } from './v8-flags.js';

// Set before the rest of our code loads (v8-flags.ts says why); these are
// the only V8 flags qapi-ts changes at run time.
for (const flag of v8FlagsFor(process.argv.slice(2))) setFlagsFromString(flag);
// The bundled CLI with its code cache, where the build made them (bundle.ts).
const { runCli } = await (await import('./bundle.js')).loadCli();
const { processIo } = await import('./stdio.js');

const io = processIo();
// The bundle runs through node:vm, where an import() of a user's module
// cannot be made: main.js lends its own (CliIo.importModule).
process.exitCode = io.settle(await runCli(process.argv.slice(2), { ...io, importModule: (url) => import(url) }));
