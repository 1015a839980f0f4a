/**
 * `qapi-ts generate [SCHEMA] [-o DIR]`: a backend's output (the TypeScript
 * bindings by default) written to DIR.  Settings come from
 * qapi-ts.config.json when present, overridden by flags
 * (settings/table.ts); the input is the schema argument (a schema's source
 * or a capture), introspection (`--introspection`, `--qemu`), the config
 * file's schemas, or the embedded default schema.  `--check` writes nothing
 * and fails listing the files that would change; `--watch` regenerates on
 * every change of a file the input was read from.
 */
import type { Command } from 'commander';
import { basename, join } from 'node:path';
import { BUILT_IN_BACKENDS, DEFAULT_BACKEND } from '../backends/built-in.js';
import type { InputSource } from '../input/source.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { resolveSettings } from '../settings/table.js';
import { chooseSchemas, loadConfig, type GenerateConfig } from './config.js';
import { addIntrospectionOptions, addReleaseOption, fileSource, introspectionSource, releaseFlags, wantsIntrospection, type IntrospectionFlags } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';
import { addSettingFlags, flagSettings, refuseUnreadFlags } from './settings-flags.js';
import { loadProduce, runJobs, warmUpJobs, WARM_UP_PASSES, type Job, type Kept, type Run } from './generate-jobs.js';
import { watchSchema } from './watch.js';
import { optimizerOn } from './v8-flags.js';

interface GenerateFlags extends IntrospectionFlags {
  /** `--release X.Y=FILE`, repeated: bindings that span releases. */
  release?: string[];
  output?: string;
  config?: string;
  backend?: string;
  check?: boolean;
  watch?: boolean;
}


const NO_OUTPUT = "qapi-ts: no output directory: give -o DIR, or 'output' in qapi-ts.config.json";

/**
 * The releases of a span, from `--release X.Y=FILE` flags or the config
 * file's `releases` (flags win); null when neither gives any.  A span
 * reads each release in its own language, from a file of its own: it takes
 * no schema argument, language flag or introspection beside it.
 */
function spanOf(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig): InputSource | null {
  const given = flags.release === undefined ? undefined : releaseFlags(flags.release);
  const releases = given ?? (config.releases ? Object.entries(config.releases).map(([release, path]) => ({ release, path })) : null);
  if (releases === null) return null;
  if (wantsIntrospection(flags) || flags.namesFrom !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: a span takes each release as --release VERSION=FILE (a capture file too); --introspection, --qemu and --names-from do not go with it');
  }
  if (schemaArg !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: give a schema or releases (--release), not both (got '${schemaArg}')`);
  if (flags.legacy || flags.qemuVersion !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: each release of a span is read in its own language; --qemu-version and --legacy do not go with --release');
  }
  return { kind: 'span', releases };
}

/** The inputs the argument, the flags and the config file name, each with its output directory. */
function jobsOf(schemaArg: string | undefined, flags: GenerateFlags, config: GenerateConfig): Job[] {
  const output = flags.output ?? config.output;
  const span = spanOf(schemaArg, flags, config);
  if (span !== null) {
    if (output === undefined) throw new CliExit(EXIT.usage, NO_OUTPUT);
    return [{ source: span, output }];
  }
  if (wantsIntrospection(flags) || flags.namesFrom !== undefined) {
    if (!wantsIntrospection(flags)) throw new CliExit(EXIT.usage, 'qapi-ts: --names-from goes with --introspection FILE or --qemu BINARY');
    if (schemaArg !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: give a schema file or introspection, not both (got '${schemaArg}')`);
    if (flags.watch) throw new CliExit(EXIT.usage, 'qapi-ts: --watch follows schema files; it does not go with introspection');
    if (output === undefined) throw new CliExit(EXIT.usage, NO_OUTPUT);
    return [{ source: introspectionSource(flags), output }];
  }
  if (output === undefined) throw new CliExit(EXIT.usage, NO_OUTPUT);
  const chosen = chooseSchemas(schemaArg, flags, config);
  return chosen.map(({ schema, legacy, qemuVersion, embedded }) => ({
    // A file the user names may be a capture; the embedded schema is a schema.
    source: fileSource(embedded ? 'schema' : 'file', schema, { legacy, qemuVersion }),
    // Several schemas each get their own folder, named after the file.
    output: chosen.length > 1 ? join(output, basename(schema).replace(/\.json$/, '')) : output,
  }));
}


export function registerGenerate(program: Command, io: CliIo): void {
  const command = program
    .command('generate')
    .description('generate TypeScript bindings (types, command wrappers, validators, errors, events), or another backend\'s output')
    .argument('[schema]', 'the root schema file, or a query-qmp-schema capture (default: from qapi-ts.config.json, else the embedded default schema)')
    .option('-o, --output <dir>', 'the directory to write to (default: from qapi-ts.config.json)')
    .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)')
    .option('--backend <name>', `what to write: ${BUILT_IN_BACKENDS.map((b) => b.name).join(', ')} (default ${DEFAULT_BACKEND})`);
  addReleaseOption(addLanguageOptions(command), "bindings that span releases: one release and its schema (in that release's language) or captured reply; repeat for each")
    .option('--check', 'write nothing; exit 1 listing the files that differ from what would be written')
    .option('--watch', 'regenerate whenever a file of the schema changes');
  addIntrospectionOptions(command);
  addSettingFlags(command).action(async (schema: string | undefined, flags: GenerateFlags) => {
    const config = loadConfig(flags.config);
    const name = flags.backend ?? DEFAULT_BACKEND;
    // A backend registered in this process (the library's registerBackend)
    // is found in the registry, which loads every backend.
    const backend = BUILT_IN_BACKENDS.find((b) => b.name === name) ?? (await loadProduce()).backendNamed(name);
    refuseUnreadFlags(command, backend);
    const run: Run = {
      settings: resolveSettings(flagSettings(command), config.settings),
      backend,
      jobs: jobsOf(schema, flags, config),
    };
    if (!flags.watch) {
      await runJobs(run, flags.check ?? false, io);
      return;
    }
    const kept = new Map<Job, Kept>();
    /** The warm-up's passes made (a change stops it; later idle time
     *  makes the rest). */
    let warmedPasses = 0;
    /** Whether the last run wrote the output. */
    let succeeded = false;
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    await watchSchema({
      signal: stop.signal,
      onChange: (file) => io.stdout(`changed: ${file}\n`),
      onWatching: (files) => io.stdout(`watching ${files.length} schema file(s); Ctrl-C to stop\n`),
      warmUp: async (signal) => {
        if (!succeeded || warmedPasses >= WARM_UP_PASSES) return;
        // The watch started without V8's optimizer; the warm-up has it
        // compile the path an edit takes (v8-flags.ts says why).
        optimizerOn();
        warmedPasses += await warmUpJobs(run, kept, signal, WARM_UP_PASSES - warmedPasses);
      },
      run: async () => {
        succeeded = false;
        try {
          const files = await runJobs(run, false, io, kept);
          succeeded = true;
          return files;
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
