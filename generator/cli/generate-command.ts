/**
 * `qapi-ts generate [SCHEMA] [-o DIR]`: writes the bindings.  Settings come
 * from qapi-ts.config.json when present, overridden by flags; without any
 * schema, the embedded default schema is used.  `--check` writes nothing and
 * fails listing the files that would change; `--watch` regenerates on every
 * change of a schema file.
 */
import { Option, type Command } from 'commander';
import { basename, join } from 'node:path';
import { DEFAULT_TARGET, OUTPUT_TARGETS, type OutputTarget } from '../emit/output/render.js';
import { generateRun } from '../generate.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { chooseSchemas, loadConfig, type GenerateConfig } from './config.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { asUsageError, deliver, staleOutput } from './deliver.js';
import { watchSchema } from './watch.js';
import { DEFAULT_QEMU_RELEASE } from '../source/language.js';
import { INT64_MODES, isInt64Mode, type Int64Mode } from 'qapi-ts-runtime/type-rules';
import { DEFAULT_INT64_MODE, DEFAULT_RUNTIME } from '../emit/naming/runtime-names.js';
import { generateIntrospected } from './generate-introspected.js';
import type { EmitSettings } from './emit-settings.js';
import { INTROSPECTION_OPTIONS, wantsIntrospection, type IntrospectionFlags } from './introspection-input.js';

interface GenerateFlags extends IntrospectionFlags {
  output?: string;
  config?: string;
  legacy?: boolean;
  qemuVersion?: string;
  if?: string[];
  only?: string[];
  unstable: boolean;
  check?: boolean;
  watch?: boolean;
  runtime?: string;
  target?: OutputTarget;
  format?: boolean;
  symlink?: boolean;
  int64?: string;
}

/** One schema to generate, and where. */
interface Job {
  readonly schema: string;
  readonly output: string;
  readonly legacy: boolean;
  readonly qemuVersion: string | undefined;
}

interface Settings extends EmitSettings {
  readonly jobs: readonly Job[];
}

/** Flags override the config file; the embedded schema is the fallback. */
function resolveSettings(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig, fromCli: (key: string) => boolean): Settings {
  const output = flags.output ?? config.output;
  if (output === undefined) {
    throw new CliExit(EXIT.usage, "qapi-ts: no output directory: give -o DIR, or 'output' in qapi-ts.config.json");
  }
  const chosen = chooseSchemas(schemaArg, flags, config);
  const jobs: Job[] = chosen.map(({ schema, legacy, qemuVersion }) => ({
    schema,
    // Several schemas each get their own folder, named after the file.
    output: chosen.length > 1 ? join(output, basename(schema).replace(/\.json$/, '')) : output,
    legacy,
    qemuVersion,
  }));
  return { jobs, ...emitSettings(flags, config, fromCli) };
}

/** The settings of emitting, whatever the input. */
function emitSettings(flags: GenerateFlags, config: GenerateConfig, fromCli: (key: string) => boolean): EmitSettings {
  return {
    ifSymbols: flags.if ?? config.if,
    only: flags.only ?? config.only,
    noUnstable: fromCli('unstable') ? !flags.unstable : config.unstable === false,
    runtime: flags.runtime ?? config.runtimeImport ?? DEFAULT_RUNTIME,
    target: flags.target ?? config.target,
    format: flags.format ?? config.format ?? false,
    symlink: flags.symlink ?? config.symlink ?? false,
    int64: flags.int64 === undefined ? (config.int64 ?? DEFAULT_INT64_MODE) : int64Flag(flags.int64),
  };
}

/** Runs every job; returns the schema files read. */
async function runJobs(settings: Settings, check: boolean, io: CliIo): Promise<string[]> {
  const inputs: string[] = [];
  const stale: string[] = [];
  for (const job of settings.jobs) {
    const run = await generateRun({ ...settings, schema: job.schema, legacy: job.legacy, qemuVersion: job.qemuVersion }).catch(
      asUsageError,
    );
    inputs.push(...run.inputs);
    for (const w of run.warnings) io.stderr(`${w}\n`);
    stale.push(...(await deliver(run.files, job.output, { check, format: settings.format, symlink: settings.symlink }, io)));
  }
  if (stale.length > 0) throw staleOutput(stale);
  return inputs;
}

function int64Flag(value: string): Int64Mode {
  if (isInt64Mode(value)) return value;
  throw new CliExit(EXIT.usage, `qapi-ts: --int64 '${value}': give one of ${INT64_MODES.join(', ')}`);
}

/** `--if A --if B,C`: one flag takes one value (so it never swallows the
 *  schema argument), repeatable, each a comma-separated list. */
function listCollector(flag: string, what: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    const items = value.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new CliExit(EXIT.usage, `qapi-ts: ${flag} '${value}': give ${what} separated by commas`);
    return [...(previous ?? []), ...items];
  };
}

export function registerGenerate(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('generate TypeScript bindings (types, command wrappers, validators, errors, events)')
    .argument('[schema]', 'the root schema file (default: from qapi-ts.config.json, else the embedded default schema)')
    .option('-o, --output <dir>', 'the directory to write the bindings to (default: from qapi-ts.config.json)')
    .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)')
    .option('--qemu-version <X.Y>', `read the schema in the language of this QEMU release (7.2 to ${DEFAULT_QEMU_RELEASE}; default ${DEFAULT_QEMU_RELEASE})`)
    .option('--legacy', "accept the 2012 dialect of QEMU 1.3's schema")
    .option(
      '--if <symbol>',
      'keep only what this configuration symbol enables; repeat the flag or list symbols with commas (default: keep everything)',
      listCollector('--if', 'configuration symbols'),
    )
    .option(
      '--only <name>',
      'emit only this command or event and the types it reaches; repeat the flag or list names with commas (default: everything)',
      listCollector('--only', 'command and event names'),
    )
    .option('--no-unstable', "drop what has the 'unstable' feature")
    .option('--check', 'write nothing; exit 1 listing the files that differ from what would be written')
    .option('--watch', 'regenerate whenever a file of the schema changes')
    .option('--runtime <specifier>', `module the bindings import the QMP runtime from (default '${DEFAULT_RUNTIME}')`)
    .addOption(new Option('--target <target>', `what to write: ${OUTPUT_TARGETS.join(' or ')} (default ${DEFAULT_TARGET})`).choices(OUTPUT_TARGETS))
    .option('--format', 'run prettier over the output with your own prettier configuration (prettier must be installed)')
    .option('--symlink', 'keep the output directory a symbolic link to the current set of files, replaced in one step (readers never find it missing)')
    .option('--int64 <mode>', `how 64-bit integers are typed and read: ${INT64_MODES.join(', ')} (default ${DEFAULT_INT64_MODE})`)
    // Earlier versions cached generation; nothing is cached now.
    .addOption(new Option('--no-cache').hideHelp())
    .option(...INTROSPECTION_OPTIONS.introspection)
    .option(...INTROSPECTION_OPTIONS.qemu)
    .option(...INTROSPECTION_OPTIONS.namesFrom)
    .action(async (schema: string | undefined, flags: GenerateFlags, command: Command) => {
      const config = loadConfig(flags.config);
      if (wantsIntrospection(flags) || flags.namesFrom !== undefined) {
        await generateFromIntrospection(schema, flags, config, command, io);
        return;
      }
      const settings = resolveSettings(schema, flags, config, (key) => command.getOptionValueSource(key) === 'cli');
      if (!flags.watch) {
        await runJobs(settings, flags.check ?? false, io);
        return;
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await watchSchema({
        signal: stop.signal,
        onChange: (file) => io.stdout(`changed: ${file}\n`),
        onWatching: (files) => io.stdout(`watching ${files.length} schema file(s); Ctrl-C to stop\n`),
        run: async () => {
          try {
            return await runJobs(settings, false, io);
          } catch (e) {
            // A broken schema is reported, and watching goes on.
            if (e instanceof SchemaError) {
              io.stderr(`${[...e.warnings, ...e.diagnostics].map((d) => formatDiagnostic(d)).join('\n')}\n`);
              return e.files ?? [];
            }
            throw e;
          }
        },
      });
    });
}

/** generate with --introspection or --qemu: no schema file, one output. */
async function generateFromIntrospection(schema: string | undefined, flags: GenerateFlags, config: GenerateConfig, command: Command, io: CliIo): Promise<void> {
  if (!wantsIntrospection(flags)) throw new CliExit(EXIT.usage, 'qapi-ts: --names-from goes with --introspection FILE or --qemu BINARY');
  if (schema !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: give a schema file or introspection, not both (got '${schema}')`);
  if (flags.watch) throw new CliExit(EXIT.usage, 'qapi-ts: --watch follows schema files; it does not go with introspection');
  const output = flags.output ?? config.output;
  if (output === undefined) throw new CliExit(EXIT.usage, "qapi-ts: no output directory: give -o DIR, or 'output' in qapi-ts.config.json");
  const settings = emitSettings(flags, config, (key) => command.getOptionValueSource(key) === 'cli');
  await generateIntrospected(flags, { ...settings, output, check: flags.check ?? false }, io);
}
