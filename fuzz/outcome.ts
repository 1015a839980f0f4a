/**
 * What a run of the front end on one input must look like, and the verdict
 * on what it did.  The invariants: exit 0, or exit 1 whose first line
 * (after include/definition context lines) is `FILE:LINE[:COL]: ` pointing
 * into a file the schema has; never exit 70 (internal error), never a
 * stack trace; within the CPU-time, wall-time and memory bounds.
 */
import type { Stop } from './pool.js';

/** How a run ended, as the pool reports it. */
export interface RunResult {
  /** The exit code, or null when the run did not finish. */
  readonly code: number | null;
  readonly stderr: string;
  /** Bytes the run wrote to stdout (the dump, when the verb is `dump`). */
  readonly stdoutBytes: number;
  /** A hash of stdout, to compare with QEMU's dump. */
  readonly stdoutHash: string;
  readonly ms: number;
  /** CPU time the run used, in milliseconds. */
  readonly cpuMs: number;
  /** Highest resident set size of the worker seen during the run, in bytes. */
  readonly peakRss: number;
  /** Why the pool ended the run, when it did. */
  readonly stopped?: Stop;
  /** For a crash: how the worker ended. */
  readonly crash?: string;
}

export const FAILURE_KINDS = [
  'internal-error',
  'stack-trace',
  'unlocated',
  'bad-location',
  'exit-code',
  'cpu-time',
  'wall-time',
  'memory',
  'crash',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export type Verdict =
  | { readonly ok: true; readonly accepted: boolean; readonly location: Location | null }
  | { readonly ok: false; readonly kind: FailureKind; readonly detail: string; readonly location: Location | null };

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
}

/** Lines that set the scene for an error: the include chain and the
 *  definition it is in. */
const CONTEXT_LINE = /^(?:In file included from .*:\d+:|[^:\n]+: In [a-z][\w ]* '[^'\n]*':)$/;
const LOCATED_LINE = /^([^:\n]+):(\d+)(?::(\d+))?: /;

/** The location of the first diagnostic in `text`, when its first line
 *  (context lines skipped) starts with `FILE:LINE[:COL]: `; else null. */
export function firstLocation(text: string): Location | null {
  for (const line of text.split('\n')) {
    if (CONTEXT_LINE.test(line)) continue;
    const m = LOCATED_LINE.exec(line);
    if (!m) return null;
    return { file: m[1]!, line: Number(m[2]), column: m[3] === undefined ? null : Number(m[3]) };
  }
  return null;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}`;
}

/** A stack trace shows as lines starting with "at " after indentation. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at\s/m.test(text);
}

/**
 * Judges one run.  `lineCount(file)` gives the number of lines of a file
 * a location names: null for a path outside the schema's directory (any
 * line is believed), undefined for a file the schema does not have.
 */
export function judge(result: RunResult, lineCount: (file: string) => number | null | undefined): Verdict {
  const location = firstLocation(result.stderr);
  const fail = (kind: FailureKind, detail: string): Verdict => ({ ok: false, kind, detail, location });
  if (result.stopped === 'cpu-time') return fail('cpu-time', `no answer after ${Math.round(result.cpuMs)} ms of CPU time`);
  if (result.stopped === 'wall-time') return fail('wall-time', `no answer within ${Math.round(result.ms)} ms (${Math.round(result.cpuMs)} ms of CPU time)`);
  if (result.stopped === 'memory') return fail('memory', `resident memory reached ${Math.round(result.peakRss / 2 ** 20)} MiB`);
  if (result.stopped === 'crash') return fail('crash', `the front end's process ended: ${result.crash ?? 'unknown'}`);
  if (result.code === 70) return fail('internal-error', firstLine(result.stderr));
  if (hasStackTrace(result.stderr)) return fail('stack-trace', firstLine(result.stderr));
  if (result.code === 0) return { ok: true, accepted: true, location: null };
  if (result.code !== 1) return fail('exit-code', `exit ${result.code}: ${firstLine(result.stderr)}`);
  if (!location) return fail('unlocated', firstLine(result.stderr));
  const lines = lineCount(location.file);
  if (lines === undefined) return fail('bad-location', `${firstLine(result.stderr)} (the schema has no file '${location.file}')`);
  if (location.line < 1 || (lines !== null && location.line > lines + 1) || (location.column !== null && location.column < 1)) {
    return fail('bad-location', `${firstLine(result.stderr)} (the file has ${lines} lines)`);
  }
  return { ok: true, accepted: false, location };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
