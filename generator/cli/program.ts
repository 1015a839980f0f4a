/**
 * The whole CLI: every verb (command-line.ts builds and runs the program).
 * The entry of the CLI's bundle (build/bundle.mjs) and of a build without
 * one (bundle.ts).
 */
import type { Command } from 'commander';
import { buildProgram, runCommandLine, type LazyVerbs } from './command-line.js';
import type { CliIo } from './io.js';

/** Verbs whose code is loaded only when they run, or when help must list
 *  them: `check` need not pay for it. */
const LAZY_VERBS: LazyVerbs = {
  generate: async () => (await import('./generate-command.js')).registerGenerate,
  qmp: async () => (await import('./qmp-command.js')).registerQmp,
  shell: async () => (await import('./shell-command.js')).registerShell,
  drift: async () => (await import('./drift-command.js')).registerDrift,
  diff: async () => (await import('./diff-command.js')).registerDiff,
  jsonschema: async () => (await import('./jsonschema-command.js')).registerJsonSchema,
  'fake-qemu': async () => (await import('./fake-qemu-command.js')).registerFakeQemu,
  record: async () => (await import('./record-command.js')).registerRecord,
};

/** Runs the CLI; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommandLine(argv, io, LAZY_VERBS);
}

/**
 * The program as it parses `argv`, its verbs' actions replaced by ones
 * that do nothing: what a command line means to the CLI (its verb, flags
 * and their values) without running it.  The documentation's examples are
 * checked with it (test/project/doc-blocks.test.ts).
 */
export async function inertProgram(argv: readonly string[], io: CliIo): Promise<Command> {
  const program = await buildProgram(io, argv, LAZY_VERBS);
  for (const command of program.commands) command.action(() => {});
  return program;
}
