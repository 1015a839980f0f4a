/**
 * A fuzz campaign: builds each input, writes it out, runs qapi-ts on it in
 * the pool (and QEMU's front end, in differential mode), judges the run and
 * keeps each failing input with a reproducer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize, relative } from 'node:path';
import type { CorpusEntry } from './corpus.js';
import type { QemuRelease } from '../generator/source/language.js';
import { releaseFlags } from '../generator/source/language.js';
import { compare, type Comparison } from './differential.js';
import { allFiles, minimize, type Minimized } from './minimize.js';
import { makeMutant } from './mutate/index.js';
import { materialize, mutantFile, writePristine, type Mutant } from './mutant.js';
import { firstLocation, judge, type RunResult, type Verdict } from './outcome.js';
import { WORKER_SCRIPT } from './paths.js';
import { WorkerPool } from './pool.js';
import { runQemuFrontEnd, type QemuFrontEnd, type QemuOutcome } from './qemu.js';
import { saveFailure, saveMinimized } from './reproducer.js';
import type { CliAnswer, CliJob } from './worker.js';

export type Verb = 'check' | 'dump';

export interface CampaignOptions extends Bounds {
  readonly corpus: readonly CorpusEntry[];
  readonly seed: number;
  /** The inputs to run, by index. */
  readonly indices: readonly number[];
  readonly verb: Verb;
  /** Where failing inputs are kept, each with a reproducer. */
  readonly failuresDir?: string;
  /** The command that rebuilds input N of this campaign, for reports. */
  readonly rerunCommand?: (index: number) => string;
  /** QEMU's front end by release, for the differential mode. */
  readonly qemu?: ReadonlyMap<string, QemuFrontEnd>;
  /** The releases judging every input beside QEMU's front end of each (ours
   *  read in that release's language); by default, the input's own. */
  readonly against?: readonly QemuRelease[];
  /** Shrink each failing input to a small one that fails alike. */
  readonly minimize?: boolean;
  /** Called as each input is judged. */
  readonly onInput?: (report: InputReport) => void;
}

/** One input judged by one release: ours in its language, and QEMU's own
 *  front end of that release. */
export interface Judged {
  readonly release: string;
  readonly ours: Verdict;
  /** The located line of our error, when we rejected it. */
  readonly oursAt: string | null;
  readonly qemu: QemuOutcome;
  readonly comparison: Comparison;
}

export interface InputReport {
  readonly index: number;
  readonly corpus: string;
  /** The file the input's run read first (a suite's case). */
  readonly root: string;
  readonly operations: readonly string[];
  readonly result: RunResult;
  readonly verdict: Verdict;
  /** In the differential mode: each release's judgement. */
  readonly judged?: readonly Judged[];
  /** Where the failing input was kept. */
  readonly savedTo?: string;
}

/** Lines of a file the mutant holds: a number; null for a path outside
 *  the schema's directory or a special file (not judged); undefined for a
 *  file the schema does not have. */
export function lineCounter(mutant: Mutant, dir: string): (file: string) => number | null | undefined {
  return (file) => {
    const rel = isAbsolute(file) ? relative(dir, file) : normalize(file);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    const special = mutant.specials.find((sp) => sp.path === rel);
    // A sparse file is all zero bytes: one line.  What a FIFO or a link
    // yields is not known here: any line is believed.
    if (special) return special.kind === 'sparse' ? 1 : null;
    const bytes = mutantFile(mutant, rel);
    if (!bytes) return undefined;
    // Lines end as QEMU reads them (Python's universal newlines): at LF,
    // CR LF, or a lone CR.
    let lines = 1;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] !== 10)) lines++;
    }
    return lines;
  };
}

export interface Bounds {
  /** Inputs run at once. */
  readonly jobs: number;
  /** CPU-time bound per input, in milliseconds: computation that runs away. */
  readonly cpuMs: number;
  /** Wall-time bound per input, in milliseconds: a read that never returns. */
  readonly wallMs: number;
  /** Resident-memory bound of the process running an input, in bytes. */
  readonly memoryBytes: number;
}

/**
 * The bounds every input must keep, as docs/fuzzing.md states them.  A whole
 * real schema takes well under a second of CPU; the CPU bound leaves ten
 * times that, and does not depend on how loaded the machine is.  The wall
 * bound catches what waits without computing (a FIFO, a device); it is
 * looser, since a loaded machine stretches wall time severalfold.
 */
export const DEFAULT_BOUNDS = {
  cpuMs: 10_000,
  wallMs: 30_000,
  memoryMiB: 2048,
} as const;

/** DEFAULT_BOUNDS as a run's limits take them. */
export const DEFAULT_LIMITS = {
  cpuMs: DEFAULT_BOUNDS.cpuMs,
  wallMs: DEFAULT_BOUNDS.wallMs,
  memoryBytes: DEFAULT_BOUNDS.memoryMiB * 2 ** 20,
} as const;

/** Runs qapi-ts on written-out mutants in a pool of workers, and judges. */
export class FrontEndRunner {
  private readonly pool: WorkerPool<CliJob, CliAnswer>;

  constructor(bounds: Bounds) {
    this.pool = new WorkerPool<CliJob, CliAnswer>({
      script: WORKER_SCRIPT,
      size: bounds.jobs,
      cpuMs: bounds.cpuMs,
      wallMs: bounds.wallMs,
      memoryBytes: bounds.memoryBytes,
    });
  }

  /** The arguments qapi-ts runs with on a mutant (in its own release's
   *  language, or in `release`'s). */
  static args(mutant: Mutant, verb: Verb, release?: QemuRelease): string[] {
    return [verb, ...(release ? releaseFlags(release) : mutant.corpus.cliArgs), mutant.corpus.root];
  }

  /** Writes the mutant into `dir` (the caller removes it), runs, judges. */
  async run(mutant: Mutant, dir: string, verb: Verb, pristine?: string): Promise<{ result: RunResult; verdict: Verdict }> {
    materialize(mutant, dir, pristine);
    return this.rerun(mutant, dir, verb);
  }

  /** Runs again on the mutant `dir` holds, in `release`'s language. */
  async rerun(mutant: Mutant, dir: string, verb: Verb, release?: QemuRelease): Promise<{ result: RunResult; verdict: Verdict }> {
    const done = await this.pool.run({ dir, args: FrontEndRunner.args(mutant, verb, release) });
    const result: RunResult = {
      code: done.result?.code ?? null,
      stderr: done.result?.stderr ?? '',
      stdoutBytes: done.result?.stdoutBytes ?? 0,
      stdoutHash: done.result?.stdoutHash ?? '',
      ms: done.result?.ms ?? done.ms,
      cpuMs: done.cpuMs,
      peakRss: done.peakRss,
      ...(done.stopped ? { stopped: done.stopped } : {}),
      ...(done.crash ? { crash: done.crash } : {}),
    };
    return { result, verdict: judge(result, lineCounter(mutant, dir)) };
  }

  close(): void {
    this.pool.close();
  }
}

/** Whether two verdicts are the same failure (for the minimizer). */
function sameFailure(a: Verdict, b: Verdict): boolean {
  if (a.ok || b.ok || a.kind !== b.kind) return false;
  return a.kind !== 'internal-error' || a.detail === b.detail;
}

export async function runCampaign(options: CampaignOptions): Promise<InputReport[]> {
  const work = mkdtempSync(join(tmpdir(), 'qapi-ts-fuzz-'));
  const runner = new FrontEndRunner(options);
  const pristine = new Map<string, string>();
  for (const entry of options.corpus) {
    const dir = join(work, `pristine-${entry.name}`);
    writePristine(entry, dir);
    pristine.set(entry.name, dir);
  }
  let scratch = 0;

  const shrink = (mutant: Mutant, verdict: Verdict): Promise<Minimized> =>
    minimize(allFiles(mutant), mutant.corpus.root, async (files) => {
      const dir = join(work, `minimize-${scratch++}`);
      try {
        const candidate: Mutant = { ...mutant, corpus: { ...mutant.corpus, files: new Map() }, files };
        return sameFailure((await runner.run(candidate, dir, options.verb)).verdict, verdict);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

  const runOne = async (index: number): Promise<InputReport> => {
    const mutant = makeMutant(options.corpus, options.seed, index);
    const dir = join(work, `input-${index}`);
    try {
      const { result, verdict } = await runner.run(mutant, dir, options.verb, pristine.get(mutant.corpus.name));
      const judged: Judged[] = [];
      const own = mutant.corpus.release;
      for (const release of options.against ?? (own ? [own] : [])) {
        const frontEnd = options.qemu?.get(release);
        if (!frontEnd) continue;
        const ours = release === own ? { result, verdict } : await runner.rerun(mutant, dir, options.verb, release);
        const fifos = mutant.specials.flatMap((s) => (s.kind === 'fifo' ? [s.path] : []));
        const qemu = await runQemuFrontEnd(frontEnd, dir, mutant.corpus.root, options, fifos);
        const oursAt = ours.result.stderr.split('\n').find((l) => firstLocation(l)) ?? null;
        judged.push({ release, ours: ours.verdict, oursAt, qemu, comparison: compare(ours.verdict, options.verb === 'dump' && ours.result.code === 0 ? ours.result.stdoutHash : null, qemu) });
      }
      const report: InputReport = {
        index,
        corpus: mutant.corpus.name,
        root: mutant.corpus.root,
        operations: mutant.operations,
        result,
        verdict,
        ...(options.qemu ? { judged } : {}),
      };
      if (!verdict.ok && options.failuresDir) {
        const args = FrontEndRunner.args(mutant, options.verb);
        const savedTo = saveFailure(options.failuresDir, mutant, report, args, options.rerunCommand?.(index));
        if (options.minimize) saveMinimized(savedTo, mutant, await shrink(mutant, verdict), args);
        return { ...report, savedTo };
      }
      return report;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    const reports: InputReport[] = [];
    let next = 0;
    // One more input in flight than workers, so the next one is being
    // written while the workers run.
    const lanes = Array.from({ length: options.jobs + 1 }, async () => {
      while (next < options.indices.length) {
        const report = await runOne(options.indices[next++]!);
        reports.push(report);
        options.onInput?.(report);
      }
    });
    await Promise.all(lanes);
    return reports.sort((a, b) => a.index - b.index);
  } finally {
    runner.close();
    rmSync(work, { recursive: true, force: true });
  }
}
