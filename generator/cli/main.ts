#!/usr/bin/env node
/**
 * The qapi-ts command line: a thin layer over the library.  It parses
 * arguments (commander), calls the library, prints what it returns, and
 * maps outcomes to exit codes.  It never shows a stack trace.
 */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
