/**
 * Builds the commander program and runs it.
 */
import { Command, CommanderError } from 'commander';
import { dumpModel } from '../dump/dump.js';
import { packageVersion } from '../package-root.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { fileSource, readInput } from './input.js';
import { addLanguageOptions, type LanguageFlags } from './language.js';

type Register = (program: Command, io: CliIo) => void;

/** Verbs whose code (the emitter, the QMP client) is loaded only when they
 *  run, or when help must list them: `check` need not pay for it. */
const LAZY_VERBS: Record<string, () => Promise<Register>> = {
  generate: async () => (await import('./generate-command.js')).registerGenerate,
  qmp: async () => (await import('./qmp-command.js')).registerQmp,
  shell: async () => (await import('./shell-command.js')).registerShell,
  drift: async () => (await import('./drift-command.js')).registerDrift,
  diff: async () => (await import('./diff-command.js')).registerDiff,
  jsonschema: async () => (await import('./jsonschema-command.js')).registerJsonSchema,
  'fake-qemu': async () => (await import('./fake-qemu-command.js')).registerFakeQemu,
  record: async () => (await import('./record-command.js')).registerRecord,
};

async function buildProgram(io: CliIo, argv: readonly string[]): Promise<Command> {
  const program = new Command('qapi-ts')
    .description("TypeScript bindings for QEMU's QAPI schemas")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showHelpAfterError(false)
    .version(packageVersion(), '-V, --version', 'print the version of qapi-ts and exit');

  addLanguageOptions(
    program
      .command('check')
      .description('check a schema; exit 0 when it is valid, 1 (with located errors) when not')
      .argument('<schema>', 'the root schema file'),
  ).action(async (schema: string, options: LanguageFlags) => {
    await readInput(fileSource('schema', schema, options), io);
  });

  addLanguageOptions(
    program
      .command('dump')
      .description("print the checked model in QEMU's test dump format (that of the selected release)")
      .argument('<schema>', 'the root schema file'),
  ).action(async (schema: string, options: LanguageFlags) => {
    const { model, level } = await readInput(fileSource('schema', schema, options), io);
    io.stdout(dumpModel(model, level!.release));
  });

  const verb = argv.find((a) => !a.startsWith('-'));
  // Help and version before any verb need no verb's code.
  const eager = verb === 'check' || verb === 'dump' || (verb === undefined && argv.some((a) => a === '-V' || a === '--version'));
  for (const [name, load] of Object.entries(LAZY_VERBS)) {
    if (!eager && (verb === undefined || verb === name || !Object.hasOwn(LAZY_VERBS, verb))) {
      (await load())(program, io);
    }
  }
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof SchemaError) {
      io.stderr(`${[...e.warnings, ...e.diagnostics].map((d) => formatDiagnostic(d)).join('\n')}\n`);
      return EXIT.schema;
    }
    if (e instanceof CliExit) {
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    if (e instanceof CommanderError) {
      // Help and version end with code 0; every other commander error is a
      // usage error, already printed by commander.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`qapi-ts: internal error: ${message}\nPlease report this with the schema that caused it.\n`);
    return EXIT.internal;
  }
}

/**
 * The program as it parses `argv`, its verbs' actions replaced by ones
 * that do nothing: what a command line means to the CLI (its verb, flags
 * and their values) without running it.  The documentation's examples are
 * checked with it (test/project/doc-blocks.test.ts).
 */
export async function inertProgram(argv: readonly string[], io: CliIo): Promise<Command> {
  const program = await buildProgram(io, argv);
  for (const command of program.commands) command.action(() => {});
  return program;
}
