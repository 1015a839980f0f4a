/**
 * Builds the commander program from the verbs given and runs it.  `check`
 * and `dump` are always there; every other verb comes from a table of
 * loaders, so that a command line whose verb is `check` or `dump` builds
 * the same program whatever the table holds: the whole CLI passes every
 * verb (program.ts), `check`'s own bundle none (check-program.ts).
 */
import { Command, CommanderError } from 'commander';
import { dumpModel } from '../dump/dump.js';
import { BrokenInstallError, packageVersion } from '../package-root.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { fileSource, readInput } from './input.js';
import { addLanguageOptions, type LanguageFlags } from './language.js';

type Register = (program: Command, io: CliIo) => void;

/** The verbs besides `check` and `dump`, each with a loader of its code
 *  (the emitter, the QMP client): loaded only when the verb runs, or when
 *  help must list it. */
export type LazyVerbs = Readonly<Record<string, () => Promise<Register>>>;

/** Whether `argv` builds the same program whatever the lazy verbs are:
 *  its verb is `check` or `dump`. */
export function needsNoLazyVerb(argv: readonly string[]): boolean {
  const verb = argv.find((a) => !a.startsWith('-'));
  return verb === 'check' || verb === 'dump';
}

export async function buildProgram(io: CliIo, argv: readonly string[], lazyVerbs: LazyVerbs): Promise<Command> {
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
  const eager = needsNoLazyVerb(argv) || (verb === undefined && argv.some((a) => a === '-V' || a === '--version'));
  for (const [name, load] of Object.entries(lazyVerbs)) {
    if (!eager && (verb === undefined || verb === name || !Object.hasOwn(lazyVerbs, verb))) {
      (await load())(program, io);
    }
  }
  return program;
}

/** Runs the command line with these verbs; returns the exit code. */
export async function runCommandLine(argv: readonly string[], io: CliIo, lazyVerbs: LazyVerbs): Promise<number> {
  try {
    const program = await buildProgram(io, argv, lazyVerbs);
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
    if (e instanceof BrokenInstallError) {
      io.stderr(`qapi-ts: ${e.message}\n`);
      return EXIT.brokenInstall;
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
