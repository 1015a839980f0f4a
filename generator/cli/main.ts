#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 */
import { setFlagsFromString } from 'node:v8';

// A run that reads a schema, prints or writes, and ends is short: its code
// runs once, mostly before V8's optimizing compiler would pay for itself,
// and compiling its large functions costs more than it saves (measured:
// `check` and `generate` of QEMU's schema take about half the CPU time
// without it; `npm run bench` shows both).  A run that goes on (`--watch`,
// `qmp --wait-job`) keeps the optimizer.  Set before any of our code
// loads; this is the only V8 flag qapi-ts changes at run time.
const LONG_RUNNING = ['--watch', '--wait-job'];
if (!process.argv.slice(2).some((a) => LONG_RUNNING.includes(a))) setFlagsFromString('--no-opt');
const { runCli } = await import('./program.js');

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  ...(process.stderr.isTTY ? { stderrTerminal: process.stderr } : {}),
});
