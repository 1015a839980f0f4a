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
import { existsSync } from 'node:fs';
import { releaseName, type ReleaseInput } from '../load-span.js';

interface GenerateFlags extends IntrospectionFlags {
  /** `--release X.Y=FILE`, repeated: bindings that span releases. */
  release?: string[];
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

/** One schema (or span of releases) to generate, and where. */
interface Job {
  readonly schema: string | undefined;
  readonly output: string;
  readonly legacy: boolean;
  readonly qemuVersion: string | undefined;
  /** Bindings that span releases: each release and its file. */
  readonly releases?: readonly ReleaseInput[];
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
  const releases = chooseReleases(schemaArg, flags, config);
  if (releases !== null) return { jobs: [{ schema: undefined, output, legacy: false, qemuVersion: undefined, releases }], ...emitSettings(flags, config, fromCli) };
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

/**
 * The releases of a span, from `--release X.Y=FILE` flags or the config
 * file's `releases` (flags win); null when neither gives any.  A span
 * reads each release in its own language, so it takes no schema argument
 * and no language flag.
 */
function chooseReleases(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig): ReleaseInput[] | null {
  const given = flags.release?.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0 || at === text.length - 1) throw new CliExit(EXIT.usage, `qapi-ts: --release '${text}': give VERSION=FILE (7.2=qemu-7.2/qapi/qapi-schema.json)`);
    return { release: text.slice(0, at), file: text.slice(at + 1) };
  });
  const releases = given ?? (config.releases ? Object.entries(config.releases).map(([release, file]) => ({ release, file })) : null);
  if (releases === null) return null;
  if (schemaArg !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: give a schema or releases (--release), not both (got '${schemaArg}')`);
  if (flags.legacy || flags.qemuVersion !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: each release of a span is read in its own language; --qemu-version and --legacy do not go with --release');
  }
  for (const r of releases) {
    try {
      releaseName(r.release);
    } catch (e) {
      throw new CliExit(EXIT.usage, `qapi-ts: --release ${r.release}=${r.file}: ${(e as Error).message}`);
    }
    if (!existsSync(r.file)) throw new CliExit(EXIT.usage, `qapi-ts: release ${r.release}: '${r.file}' does not exist`);
  }
  return releases;
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
    const input = job.releases ? { releases: job.releases } : { schema: job.schema, legacy: job.legacy, qemuVersion: job.qemuVersion };
    const run = await generateRun({ ...settings, ...input }).catch(asUsageError);
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
      '--release <X.Y=FILE>',
      "bindings that span releases: one release and its schema (in that release's language) or captured reply; repeat for each",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
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
      if ((wantsIntrospection(flags) || flags.namesFrom !== undefined) && flags.release !== undefined) {
        throw new CliExit(EXIT.usage, 'qapi-ts: a span takes each release as --release VERSION=FILE (a capture file too); --introspection, --qemu and --names-from do not go with it');
      }
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
