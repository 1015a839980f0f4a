/**
 * The runtime target of the fuzzer: deep values (cases.ts) read by the
 * public runtime API in a pool of child processes (worker.ts), each under
 * the fuzzer's bounds.  What must hold: no crash, no hang; a value up to
 * ALWAYS_READ levels is read as it is; a deeper one is read as it is, or
 * (an event) reported as a protocol problem and skipped, or (a reply)
 * rejected with QmpProtocolError, or (registry.check) reported as a
 * problem; a typed value holding itself is a problem (an `any` member
 * takes anything); and the connection goes on working after it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { loadSchema } from '../../generator/frontend.js';
import type { Bounds } from '../campaign.js';
import { PROJECT_ROOT } from '../paths.js';
import { WorkerPool, type Stop } from '../pool.js';
import { Rng } from '../random.js';
import { ALWAYS_READ, DEEP_SCHEMA, describeCase, drawCase, levelsOf, type DeepCase } from './cases.js';
import type { DeepAnswer, DeepJob } from './worker.js';

export const RUNTIME_WORKER = join(PROJECT_ROOT, 'dist', 'fuzz', 'runtime', 'worker.js');

export const DEEP_FAILURES = ['crash', 'cpu-time', 'wall-time', 'memory', 'untyped-rejection', 'threw', 'broken', 'wrong-value', 'refused-shallow', 'cycle-missed'] as const;
export type DeepFailure = (typeof DEEP_FAILURES)[number];

export type DeepVerdict = { readonly ok: true; readonly outcome: DeepAnswer['outcome'] } | { readonly ok: false; readonly kind: DeepFailure; readonly detail: string };

export interface DeepReport {
  readonly index: number;
  readonly case: DeepCase;
  readonly verdict: DeepVerdict;
  readonly cpuMs: number;
}

/** The verdict on what the runtime did with a case. */
export function judgeDeep(c: DeepCase, answer: DeepAnswer): DeepVerdict {
  const fail = (kind: DeepFailure, detail: string): DeepVerdict => ({ ok: false, kind, detail });
  const shallow = c.depth <= ALWAYS_READ;
  switch (answer.outcome) {
    case 'read':
      return answer.levels === levelsOf(c.shape, c.depth) ? { ok: true, outcome: 'read' } : fail('wrong-value', `read ${answer.levels} levels of ${levelsOf(c.shape, c.depth)}`);
    case 'reported':
      return shallow ? fail('refused-shallow', `reported (${answer.reason}) though ${c.depth} levels is within ${ALWAYS_READ}`) : { ok: true, outcome: 'reported' };
    case 'rejected':
      if (!answer.typed) return fail('untyped-rejection', answer.error);
      return shallow ? fail('refused-shallow', `rejected (${answer.error}) though within ${ALWAYS_READ} levels`) : { ok: true, outcome: 'rejected' };
    case 'problems':
      // An `any` member takes any value, one holding itself too: only a
      // typed value's cycle is a problem.
      if (c.placement === 'check-cycle') {
        const typed = c.shape === 'node' || c.shape === 'tree';
        return answer.problems > 0 || !typed ? { ok: true, outcome: 'problems' } : fail('cycle-missed', 'a value holding itself passed the check');
      }
      return shallow && answer.problems > 0 ? fail('refused-shallow', `${answer.problems} problems though within ${ALWAYS_READ} levels`) : { ok: true, outcome: 'problems' };
    case 'threw':
      return fail('threw', answer.error);
    case 'broken':
      return fail('broken', answer.detail);
  }
}

/** Writes DEEP_SCHEMA's bindings (js+dts, 64-bit integers as numbers)
 *  into `dir`, inside the project so that they find qapi-ts-runtime. */
export function writeDeepBindings(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'deep.json'), DEEP_SCHEMA);
  const { model } = loadSchema(join(dir, 'deep.json'), { qemuVersion: '10.2' });
  for (const f of generateFromModel(model, 'deep.json', { target: 'js+dts', int64: 'number' })) writeFileSync(join(dir, f.path), f.content);
}

export interface DeepCampaignOptions extends Bounds {
  readonly seed: number;
  readonly indices: readonly number[];
  readonly onInput?: (report: DeepReport) => void;
}

const stopped = (stop: Stop, crash: string | undefined): DeepVerdict => ({
  ok: false,
  kind: stop,
  detail: stop === 'crash' ? `the process reading it ended: ${crash ?? 'unknown'}` : `stopped by the ${stop} bound`,
});

export async function runDeepCampaign(options: DeepCampaignOptions): Promise<DeepReport[]> {
  const work = mkdtempSync(join(PROJECT_ROOT, '.fuzz-runtime-'));
  const sockets = mkdtempSync(join(tmpdir(), 'qapi-ts-deep-'));
  const pool = new WorkerPool<DeepJob, DeepAnswer>({
    script: RUNTIME_WORKER,
    size: options.jobs,
    cpuMs: options.cpuMs,
    wallMs: options.wallMs,
    memoryBytes: options.memoryBytes,
  });
  try {
    writeDeepBindings(join(work, 'bindings'));
    const reports: DeepReport[] = [];
    let next = 0;
    const lanes = Array.from({ length: options.jobs }, async () => {
      while (next < options.indices.length) {
        const index = options.indices[next++]!;
        const c = drawCase(Rng.forInput(options.seed, index));
        const done = await pool.run({ case: c, bindings: join(work, 'bindings'), socket: join(sockets, `${index}.sock`) });
        const verdict = done.stopped ? stopped(done.stopped, done.crash) : judgeDeep(c, done.result!);
        const report: DeepReport = { index, case: c, verdict, cpuMs: done.cpuMs };
        reports.push(report);
        options.onInput?.(report);
      }
    });
    await Promise.all(lanes);
    return reports.sort((a, b) => a.index - b.index);
  } finally {
    pool.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(sockets, { recursive: true, force: true });
  }
}

export function describeDeep(r: DeepReport): string {
  return `#${r.index} ${describeCase(r.case)}: ${r.verdict.ok ? r.verdict.outcome : `${r.verdict.kind}: ${r.verdict.detail}`}`;
}
