/**
 * `qapi-ts generate [SCHEMA] [-o DIR]`: writes the bindings.  Settings come
 * from qapi-ts.config.json when present, overridden by flags; without any
 * schema, the embedded default schema is used.  `--check` writes nothing and
 * fails listing the files that would change; `--watch` regenerates on every
 * change of a schema file.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { embeddedSchemaPath, EMBEDDED_SCHEMA_LEGACY } from '../embedded-schema.js';
import { DEFAULT_CACHE_DIR } from '../emit/generate.js';
import { generateCached } from '../emit/run-cache.js';
import { compareOutput, writeOutput } from '../emit/write.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { loadConfig, type GenerateConfig } from './config.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { watchSchema } from './watch.js';
import { generateIntrospected } from './generate-introspected.js';
import { INTROSPECTION_OPTIONS, wantsIntrospection, type IntrospectionFlags } from './introspection-input.js';

interface GenerateFlags extends IntrospectionFlags {
  output?: string;
  config?: string;
  legacy?: boolean;
  if?: string[];
  unstable: boolean;
  check?: boolean;
  watch?: boolean;
  runtime?: string;
  cache: boolean;
}

/** One schema to generate, and where. */
interface Job {
  readonly schema: string;
  readonly output: string;
  readonly legacy: boolean;
}

interface Settings {
  readonly jobs: readonly Job[];
  readonly ifSymbols: readonly string[] | undefined;
  readonly noUnstable: boolean;
  readonly runtime: string;
  readonly cacheDir: string | null;
}

/** Flags override the config file; the embedded schema is the fallback. */
function resolveSettings(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig, fromCli: (key: string) => boolean): Settings {
  const schemas = schemaArg !== undefined ? [schemaArg] : config.schema ?? [];
  const embedded = schemas.length === 0;
  const output = flags.output ?? config.output;
  if (output === undefined) {
    throw new CliExit(EXIT.usage, "qapi-ts: no output directory: give -o DIR, or 'output' in qapi-ts.config.json");
  }
  for (const s of schemas) {
    if (!existsSync(s)) throw new CliExit(EXIT.usage, `qapi-ts: schema file '${s}' does not exist`);
  }
  const legacy = flags.legacy ?? config.legacy;
  const jobs: Job[] = embedded
    ? [{ schema: embeddedSchemaPath(), output, legacy: legacy ?? EMBEDDED_SCHEMA_LEGACY }]
    : schemas.map((schema) => ({
        schema,
        // Several schemas each get their own folder, named after the file.
        output: schemas.length > 1 ? join(output, basename(schema).replace(/\.json$/, '')) : output,
        legacy: legacy ?? false,
      }));
  return { jobs, ...emitSettings(flags, config, fromCli) };
}

/** The settings of emitting, whatever the input. */
function emitSettings(flags: GenerateFlags, config: GenerateConfig, fromCli: (key: string) => boolean): Omit<Settings, 'jobs'> {
  return {
    ifSymbols: flags.if ?? config.if,
    noUnstable: fromCli('unstable') ? !flags.unstable : config.unstable === false,
    runtime: flags.runtime ?? config.runtimeImport ?? 'qapi-ts/runtime',
    cacheDir: flags.cache ? DEFAULT_CACHE_DIR : null,
  };
}

/** Runs every job; returns the schema files read. */
async function runJobs(settings: Settings, check: boolean, io: CliIo): Promise<string[]> {
  const inputs: string[] = [];
  const stale: string[] = [];
  for (const job of settings.jobs) {
    const { files, warnings, inputs: read } = await generateCached({
      schema: job.schema,
      legacy: job.legacy,
      ifSymbols: settings.ifSymbols,
      noUnstable: settings.noUnstable,
      runtime: settings.runtime,
      cacheDir: settings.cacheDir,
    });
    inputs.push(...read);
    for (const w of warnings) io.stderr(`${w}\n`);
    if (check) {
      const changes = compareOutput(job.output, files);
      if (changes.length > 0) stale.push(`${job.output}:`, ...changes.map((d) => `  ${d.change}: ${d.path}`));
      continue;
    }
    const written = writeOutput(job.output, files);
    io.stdout(`${written.length === 0 ? 'up to date' : `${written.length} file(s) updated`}: ${job.output}\n`);
  }
  if (stale.length > 0) {
    throw new CliExit(EXIT.schema, `qapi-ts: generated files are out of date:\n${stale.join('\n')}\nRun qapi-ts generate to update them.`);
  }
  return inputs;
}

export function registerGenerate(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('generate TypeScript bindings (types, command wrappers, validators, errors, events)')
    .argument('[schema]', 'the root schema file (default: from qapi-ts.config.json, else the embedded default schema)')
    .option('-o, --output <dir>', 'the directory to write the bindings to (default: from qapi-ts.config.json)')
    .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)')
    .option('--legacy', "accept the 2012 dialect of QEMU 1.3's schema")
    .option('--if <symbol...>', 'keep only what these configuration symbols enable (default: keep everything)')
    .option('--no-unstable', "drop what has the 'unstable' feature")
    .option('--check', 'write nothing; exit 1 listing the files that differ from what would be written')
    .option('--watch', 'regenerate whenever a file of the schema changes')
    .option('--runtime <specifier>', "module the bindings import the QMP runtime from (default 'qapi-ts/runtime')")
    .option('--no-cache', 'do not cache generation in node_modules/.cache/qapi-ts')
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
        run: async () => {
          try {
            const inputs = await runJobs(settings, false, io);
            io.stdout(`watching ${inputs.length} schema file(s); Ctrl-C to stop\n`);
            return inputs;
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
