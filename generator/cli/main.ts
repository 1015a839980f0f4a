#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 */
import { setFlagsFromString } from 'node:v8';

// A command-line run is short: the schema parser runs once, mostly before
// V8's optimizing compiler would pay for itself, and compiling its large
// functions costs more than it saves (about a third of a `check` of QEMU's
// schema; `generate` measured the same with and without).  Set before any
// of our code loads; this is the only V8 flag qapi-ts changes at run time
// (others, GC flags among them, are not safe to change once V8 runs).
setFlagsFromString('--no-opt');
const { runCli } = await import('./program.js');

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  ...(process.stderr.isTTY ? { stderrTerminal: process.stderr } : {}),
});
