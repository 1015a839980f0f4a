#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 */
import { setFlagsFromString } from 'node:v8';
import { isShortRun } from './v8-flags.js';

// Set before the rest of our code loads (v8-flags.ts says why); this is the
// only V8 flag qapi-ts changes at run time.
if (isShortRun(process.argv.slice(2))) setFlagsFromString('--no-opt');
const { runCli } = await import('./program.js');
const { processIo } = await import('./stdio.js');

const io = processIo();
process.exitCode = io.settle(await runCli(process.argv.slice(2), io));
