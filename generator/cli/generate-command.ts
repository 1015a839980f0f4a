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
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { BUILT_IN_BACKENDS, DEFAULT_BACKEND, type BackendInfo } from '../backends/built-in.js';
import type { FrontEndCache } from '../frontend-cache.js';
import type { InputSource } from '../input/source.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { DigestMemo, KeptTexts } from '../source/files.js';
import { resolveSettings, type Settings } from '../settings/table.js';
import { chooseSchemas, loadConfig, type GenerateConfig } from './config.js';
import { addIntrospectionOptions, addReleaseOption, fileSource, introspectionSource, readInput, releaseFlags, wantsIntrospection, type IntrospectionFlags } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions, standardSpelling } from './language.js';
import { addSettingFlags, flagSettings, refuseUnreadFlags } from './settings-flags.js';
import { watchSchema } from './watch.js';
import { settled } from './writer/directory.js';
import { stampRequest, upToDate } from './writer/stamp.js';

// What only a run with work to do needs (the backends and the emitters,
// the front end's cache, the writer) is loaded when one has: an output
// the stamp finds up to date answers with none of it loaded.
const loadProduce = () => import('./produce.js');
const loadDeliver = () => import('./writer/deliver.js');

interface GenerateFlags extends IntrospectionFlags {
  /** `--release X.Y=FILE`, repeated: bindings that span releases. */
  release?: string[];
  output?: string;
  config?: string;
  backend?: string;
  check?: boolean;
  watch?: boolean;
}

/** One input to generate from, and where its output goes. */
export interface Job {
  readonly source: InputSource;
  readonly output: string;
}

/** What to run: the jobs, the backend, the settings. */
export interface Run {
  readonly jobs: readonly Job[];
  /** The backend, as far as the stamp needs it (built-in.ts); loaded
   *  whole when a job has work to do. */
  readonly backend: BackendInfo;
  readonly settings: Settings;
}

/** What a watch keeps of a job from run to run: the front end's syntax
 *  trees, doc comments and checked definitions, and what the backend
 *  keeps (its printed files), so that after an edit only what changed is
 *  parsed, checked and printed again. */
export interface Kept {
  readonly frontEnd: FrontEndCache;
  readonly backend: Map<string, unknown>;
  /** The digests of the texts the stamp records, inputs and outputs. */
  readonly digests: DigestMemo;
  /** The schema files' texts, read again only once they change. */
  readonly texts: KeptTexts;
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

/**
 * What a job asks, as its output's stamp records it (writer/stamp.ts):
 * the backend, every setting, and the input (paths relative to the output
 * directory, so that a tree moved as a whole stays up to date).  Null
 * where the output is not stamped: a live QEMU (or its replies) is no file
 * to compare, a span's request would have to name each release's file (not
 * done yet: a span regenerates every run), and what `--format` writes
 * depends on the user's prettier and its configuration files.
 */
function stampedRequest(job: Job, run: Run): string | null {
  const source = job.source;
  if (source.kind === 'live' || source.kind === 'reply' || run.settings.format) return null;
  const at = (path: string): string => relative(resolve(job.output), resolve(path)).split(sep).join('/');
  if (source.kind === 'span') {
    return stampRequest({ backend: run.backend.name, settings: run.settings, source: { kind: 'span', releases: source.releases.map((r) => ({ release: r.release, path: at(r.path) })) } });
  }
  const namesFrom = 'namesFrom' in source && source.namesFrom !== undefined ? { path: at(source.namesFrom.path), language: source.namesFrom.language } : null;
  return stampRequest({
    backend: run.backend.name,
    settings: run.settings,
    source: { kind: source.kind, path: at(source.path), language: 'language' in source ? source.language : null, namesFrom },
  });
}

/** Runs every job; returns the files read.  `watch` holds what a watch
 *  keeps of each job (and a watch loads the schema even when the stamp
 *  says the output is up to date: the next edit needs what a load keeps). */
export async function runJobs(run: Run, check: boolean, io: CliIo, watch?: Map<Job, Kept>): Promise<string[]> {
  const inputs: string[] = [];
  const stale: string[] = [];
  for (const job of run.jobs) {
    const request = stampedRequest(job, run);
    // Nothing changed since the stamp was written: answer from it, without
    // reading the schema.
    const fresh = request === null || watch !== undefined || !existsSync(job.output) ? null : upToDate(job.output, request, run.backend.owns);
    if (fresh !== null && settled(job.output, run.settings.symlink)) {
      for (const w of fresh.warnings) io.stderr(`${w}\n`);
      if (!check) io.stdout(`up to date: ${job.output}\n`);
      inputs.push(...fresh.inputs);
      continue;
    }
    const [{ backendNamed, produce }, { deliver }] = await Promise.all([loadProduce(), loadDeliver()]);
    let kept = watch?.get(job);
    if (watch !== undefined && kept === undefined) {
      const { FrontEndCache } = await import('../frontend-cache.js');
      kept = { frontEnd: new FrontEndCache(), backend: new Map(), digests: new DigestMemo(), texts: new KeptTexts() };
      watch.set(job, kept);
    }
    const input = await readInput(job.source, io, standardSpelling, kept && { cache: kept.frontEnd, digests: kept.digests, texts: kept.texts });
    inputs.push(...input.files);
    const output = produce(input, backendNamed(run.backend.name), run.settings, io, kept?.backend);
    const to = { kind: 'directory', path: job.output, symlink: run.settings.symlink } as const;
    const stamp =
      request === null || input.digests === null
        ? undefined
        : {
            request,
            inputs: input.digests,
            warnings: [...input.warnings.map((w) => formatDiagnostic(w)), ...output.warnings],
            digest: kept && ((content: string) => kept.digests.digest(content)),
          };
    stale.push(...(await deliver(output, to, { check, format: run.settings.format, stamp }, io)));
    kept?.digests.endRun();
  }
  if (stale.length > 0) throw (await loadDeliver()).staleOutput(stale);
  return inputs;
}

/** How many times a watch's warm-up sends its largest schema file through
 *  the path an edit takes (warmUpJobs). */
export const WARM_UP_PASSES = 6;

/**
 * A watch's warm-up, in idle time (watch.ts's IDLE_MS with no change seen
 * after a run, until its passes are made): until `signal` is
 * aborted (a change seen), `passes` times, each job's largest schema file
 * goes through the path an edit takes (parsed, checked, emitted and
 * printed again, as if it had changed: FrontEndCache.forgetLargest), and
 * the result is dropped: nothing is written or said.  The first edit then
 * finds that path's code compiled, and V8's optimizer done with it, where
 * it would otherwise pay for both (docs/development.md, issue 22).  What
 * the warm-up leaves kept is what a run of the unchanged schema leaves
 * (equal definitions, made afresh), so the next run writes what it would
 * have written.  Once `signal` is aborted it stops at its next step:
 * before a pass; after a pass's load, putting the forgotten file back
 * (nothing has used what the load made); after its emission, which keeps
 * what it made.  A change waits at most for the step under way (the load
 * or the emission of one pass), which overlaps the change's quiet time.
 * Returns the passes made in full.
 */
export async function warmUpJobs(run: Run, kept: ReadonlyMap<Job, Kept>, signal: AbortSignal, passes = WARM_UP_PASSES): Promise<number> {
  const { backendNamed, produce } = await loadProduce();
  const backend = backendNamed(run.backend.name);
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false };
  for (let pass = 0; pass < passes; pass++) {
    for (const job of run.jobs) {
      const k = kept.get(job);
      if (k === undefined) continue;
      // A file event waiting is taken (and aborts the signal) before a pass.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return pass;
      const putBack = k.frontEnd.forgetLargest();
      try {
        const input = await readInput(job.source, quiet, standardSpelling, { cache: k.frontEnd, digests: k.digests, texts: k.texts });
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) {
          putBack();
          return pass;
        }
        produce(input, backend, run.settings, quiet, k.backend);
      } catch (e) {
        // A file changed since the last run and no longer loads: the run
        // its change brings says so.
        if (!(e instanceof SchemaError)) throw e;
        putBack();
        return pass;
      }
    }
  }
  return passes;
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
