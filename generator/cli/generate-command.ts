/**
 * `qapi-ts generate [SCHEMA] [-o DIR]`: writes the bindings.  Settings come
 * from qapi-ts.config.json when present, overridden by flags; without any
 * schema, the embedded default schema is used.  `--check` writes nothing and
 * fails listing the files that would change; `--watch` regenerates on every
 * change of a schema file.
 */
import { Option, type Command } from 'commander';
import { basename, join } from 'node:path';
import { generateRun } from '../generate.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { chooseSchemas, loadConfig, type GenerateConfig } from './config.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { deliver, outputUsageError, staleOutput } from './writer/deliver.js';
import { SelectionError } from '../select/filter.js';
import { isGeneratedFile } from '../emit/templates.js';
import { watchSchema } from './watch.js';
import { DEFAULT_QEMU_VERSION } from '../source/language.js';
import { resolveSettings, type Settings as RunSettings } from '../settings/table.js';
import { generateIntrospected } from './generate-introspected.js';
import { addSettingFlags, flagSettings } from './settings-flags.js';
import { INTROSPECTION_OPTIONS, wantsIntrospection, type IntrospectionFlags } from './introspection-input.js';

interface GenerateFlags extends IntrospectionFlags {
  output?: string;
  config?: string;
  legacy?: boolean;
  qemuVersion?: string;
  check?: boolean;
  watch?: boolean;
}

/** An unknown `--only` name is a usage error. */
export function asUsageError(e: unknown): never {
  if (e instanceof SelectionError) throw new CliExit(EXIT.usage, e.message.split('\n').map((l) => `qapi-ts: ${l}`).join('\n'));
  return outputUsageError(e);
}

/** One schema to generate, and where. */
interface Job {
  readonly schema: string;
  readonly output: string;
  readonly legacy: boolean;
  readonly qemuVersion: string | undefined;
}

interface Settings extends RunSettings {
  readonly jobs: readonly Job[];
}

/** Flags override the config file; the embedded schema is the fallback. */
function resolveJobs(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig, command: Command): Settings {
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
  return { jobs, ...resolveSettings(flagSettings(command), config.settings) };
}

/** Runs every job; returns the schema files read. */
async function runJobs(settings: Settings, check: boolean, io: CliIo): Promise<string[]> {
  const inputs: string[] = [];
  const stale: string[] = [];
  for (const job of settings.jobs) {
    const run = await generateRun({ ...settings, schema: job.schema, legacy: job.legacy, qemuVersion: job.qemuVersion }).catch(asUsageError);
    inputs.push(...run.inputs);
    for (const w of run.warnings) io.stderr(`${w}\n`);
    stale.push(...(await deliver({ files: run.files, owns: isGeneratedFile }, { kind: 'directory', path: job.output, symlink: settings.symlink }, { check, format: settings.format }, io)));
  }
  if (stale.length > 0) throw staleOutput(stale);
  return inputs;
}

export function registerGenerate(program: Command, io: CliIo): void {
  const command = program
    .command('generate')
    .description('generate TypeScript bindings (types, command wrappers, validators, errors, events)')
    .argument('[schema]', 'the root schema file (default: from qapi-ts.config.json, else the embedded default schema)')
    .option('-o, --output <dir>', 'the directory to write the bindings to (default: from qapi-ts.config.json)')
    .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)')
    .option('--qemu-version <X.Y>', `read the schema in the language of this QEMU release (7.2 to ${DEFAULT_QEMU_VERSION}; default ${DEFAULT_QEMU_VERSION})`)
    .option('--legacy', "accept the 2012 dialect of QEMU 1.3's schema")
    .option('--check', 'write nothing; exit 1 listing the files that differ from what would be written')
    .option('--watch', 'regenerate whenever a file of the schema changes')
    // Earlier versions cached generation; nothing is cached now.
    .addOption(new Option('--no-cache').hideHelp())
    .option(...INTROSPECTION_OPTIONS.introspection)
    .option(...INTROSPECTION_OPTIONS.qemu)
    .option(...INTROSPECTION_OPTIONS.namesFrom);
  addSettingFlags(command).action(async (schema: string | undefined, flags: GenerateFlags, command: Command) => {
      const config = loadConfig(flags.config);
      if (wantsIntrospection(flags) || flags.namesFrom !== undefined) {
        await generateFromIntrospection(schema, flags, config, command, io);
        return;
      }
      const settings = resolveJobs(schema, flags, config, command);
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
  const settings = resolveSettings(flagSettings(command), config.settings);
  await generateIntrospected(flags, { ...settings, output, check: flags.check ?? false }, io);
}
