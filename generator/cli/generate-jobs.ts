/**
 * The jobs of `qapi-ts generate` and how they run: each input read, its
 * backend's output made and delivered through the writer, unless the
 * output's stamp finds it up to date; and the warm-up a watch runs in idle
 * time.  generate-command.ts turns the command line into jobs and runs
 * them here.
 */
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BackendInfo } from '../backends/built-in.js';
import type { FrontEndCache } from '../frontend-cache.js';
import type { InputSource } from '../input/source.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { DigestMemo, KeptTexts } from '../source/files.js';
import type { Settings } from '../settings/table.js';
import type { Produced } from './produce.js';
import { readInput } from './input.js';
import { CliExit, type CliIo } from './io.js';
import { standardSpelling } from './language.js';
import { settled } from './writer/directory.js';
import { stampRequest, upToDate } from './writer/stamp.js';

// What only a run with work to do needs (the backends and the emitters,
// the front end's cache, the writer) is loaded when one has: an output
// the stamp finds up to date answers with none of it loaded.
export const loadProduce = () => import('./produce.js');
const loadDeliver = () => import('./writer/deliver.js');

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

/**
 * What a job asks, as its output's stamp records it (writer/stamp.ts):
 * the backend, every setting, and the input (paths relative to the output
 * directory, so that a tree moved as a whole stays up to date).  Null
 * where the output is not stamped: a live QEMU (or its replies) is no file
 * to compare, and what `--format` writes depends on the user's prettier
 * and its configuration files.  A span's request names each release and
 * its file.
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
 * the output is compared with the output directory as `--check` compares
 * it (read, not written): nothing is written or said.  The first edit then
 * finds that path's code compiled, the writer's included, and V8's
 * optimizer done with it, where it would otherwise pay for both
 * (docs/development.md, issue 22).  What
 * the warm-up leaves kept is what a run of the unchanged schema leaves
 * (equal definitions, made afresh), so the next run writes what it would
 * have written.  Once `signal` is aborted it stops at its next step:
 * before a pass; after a pass's load, putting the forgotten file back
 * (nothing has used what the load made); after its emission, which keeps
 * what it made.  A change waits at most for the step under way (the load,
 * the emission or the comparison of one pass), which overlaps the
 * change's quiet time.
 * Returns the passes made in full.
 */
export async function warmUpJobs(run: Run, kept: ReadonlyMap<Job, Kept>, signal: AbortSignal, passes = WARM_UP_PASSES): Promise<number> {
  const [{ backendNamed, produce }, { deliver }] = await Promise.all([loadProduce(), loadDeliver()]);
  const backend = backendNamed(run.backend.name);
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false };
  for (let pass = 0; pass < passes; pass++) {
    for (const job of run.jobs) {
      const k = kept.get(job);
      if (k === undefined) continue;
      // A file event waiting is taken (and aborts the signal) before a pass.
      await nextTurn();
      if (signal.aborted) return pass;
      const putBack = k.frontEnd.forgetLargest();
      let output: Produced;
      try {
        const input = await readInput(job.source, quiet, standardSpelling, { cache: k.frontEnd, digests: k.digests, texts: k.texts });
        await nextTurn();
        if (signal.aborted) {
          putBack();
          return pass;
        }
        output = produce(input, backend, run.settings, quiet, k.backend);
      } catch (e) {
        // A file changed since the last run and no longer loads: the run
        // its change brings says so.
        if (!(e instanceof SchemaError)) throw e;
        putBack();
        return pass;
      }
      await nextTurn();
      if (signal.aborted) return pass;
      try {
        await deliver(output, { kind: 'directory', path: job.output, symlink: run.settings.symlink }, { check: true, format: false }, quiet);
      } catch (e) {
        // An output directory that can no longer be read: the next run says so.
        if (!(e instanceof CliExit)) throw e;
        return pass;
      }
    }
  }
  return passes;
}
