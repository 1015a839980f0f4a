/**
 * The figures of a campaign, and their printed summary.
 */
import type { InputReport } from './campaign.js';
import { COMPARISONS, DISAGREEMENTS, type Comparison } from './differential.js';
import { OPERATORS } from './mutate/index.js';
import { FAILURE_KINDS, type FailureKind } from './outcome.js';

export interface Figures {
  readonly inputs: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly failures: Readonly<Record<FailureKind, number>>;
  readonly failed: number;
  /** How often each operator was applied. */
  readonly operators: Readonly<Record<string, number>>;
  readonly slowest: readonly InputReport[];
  readonly peakRss: number;
  /** Differential counts, over (input, release) pairs QEMU's front end ran on. */
  readonly comparisons: Readonly<Record<Comparison, number>>;
  readonly compared: number;
  readonly disagreements: number;
  /** The same by release: pairs run, pairs both judged, disagreements. */
  readonly byRelease: ReadonlyMap<string, { readonly compared: number; readonly judged: number; readonly disagreements: number }>;
  /** Why QEMU's front end gave no verdict, by reason (numbers blanked). */
  readonly qemuFailures: ReadonlyMap<string, number>;
}

export function figures(reports: readonly InputReport[]): Figures {
  const failures = Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<FailureKind, number>;
  const operators = Object.fromEntries(OPERATORS.map(([name]) => [name, 0])) as Record<string, number>;
  const comparisons = Object.fromEntries(COMPARISONS.map((c) => [c, 0])) as Record<Comparison, number>;
  let accepted = 0;
  let rejected = 0;
  let compared = 0;
  const qemuFailures = new Map<string, number>();
  const byRelease = new Map<string, { compared: number; judged: number; disagreements: number }>();
  for (const r of reports) {
    for (const j of r.judged ?? []) {
      if (j.qemu.kind === 'failed') {
        const reason = j.qemu.detail.replace(/\b(byte|position|line) \S+/g, '$1 N').slice(0, 100);
        qemuFailures.set(reason, (qemuFailures.get(reason) ?? 0) + 1);
      }
      comparisons[j.comparison]++;
      compared++;
      const release = byRelease.get(j.release) ?? { compared: 0, judged: 0, disagreements: 0 };
      release.compared++;
      if (j.comparison !== 'qemu-failed' && j.comparison !== 'ours-failed') release.judged++;
      if (DISAGREEMENTS.includes(j.comparison)) release.disagreements++;
      byRelease.set(j.release, release);
    }
    if (r.verdict.ok) {
      if (r.verdict.accepted) accepted++;
      else rejected++;
    } else failures[r.verdict.kind]++;
    for (const op of r.operations) {
      const name = op.split(' ', 1)[0]!.replace(/^line-(delete|duplicate|swap)$/, 'line-edit');
      operators[name] = (operators[name] ?? 0) + 1;
    }
  }
  return {
    inputs: reports.length,
    accepted,
    rejected,
    failures,
    failed: reports.length - accepted - rejected,
    operators,
    slowest: [...reports].sort((a, b) => b.result.cpuMs - a.result.cpuMs).slice(0, 5),
    peakRss: Math.max(0, ...reports.map((r) => r.result.peakRss)),
    comparisons,
    compared,
    disagreements: DISAGREEMENTS.reduce((n, c) => n + comparisons[c], 0),
    byRelease,
    qemuFailures,
  };
}

const MiB = 2 ** 20;

export function formatSummary(f: Figures, seconds: number): string {
  const lines: string[] = [];
  const row = (name: string, value: number | string): void => {
    lines.push(`  ${name.padEnd(28)} ${String(value).padStart(7)}`);
  };
  row('accepted (exit 0)', f.accepted);
  row('rejected, located (exit 1)', f.rejected);
  row('FAILED', f.failed);
  for (const kind of FAILURE_KINDS) if (f.failures[kind] > 0) row(`  ${kind}`, f.failures[kind]);
  lines.push(`  operators: ${Object.entries(f.operators).map(([n, c]) => `${n} ${c}`).join(', ')}`);
  lines.push(
    `  most CPU: ${f.slowest.map((r) => `#${r.index} (${r.corpus}) ${Math.round(r.result.cpuMs)} ms`).join(', ')}; highest resident memory ${Math.round(f.peakRss / MiB)} MiB`,
  );
  lines.push(`  ${f.inputs} inputs in ${seconds.toFixed(1)} s (${(f.inputs / Math.max(seconds, 1e-3)).toFixed(1)} inputs/s)`);
  if (f.compared > 0) {
    lines.push(`  differential, ${f.compared} runs of QEMU's front ends:`);
    for (const c of COMPARISONS) if (f.comparisons[c] > 0) row(`  ${c}`, f.comparisons[c]);
    for (const [reason, n] of [...f.qemuFailures].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
      lines.push(`      QEMU failed ${n}x: ${reason}`);
    }
    const judged = f.compared - f.comparisons['qemu-failed'] - f.comparisons['ours-failed'];
    for (const [release, r] of [...f.byRelease].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      lines.push(`    QEMU ${release}: ${r.compared} inputs, ${r.judged} judged by both, ${r.disagreements} disagreements`);
    }
    lines.push(
      `  disagreements: ${f.disagreements} of ${judged} inputs both front ends judged (${judged ? ((100 * f.disagreements) / judged).toFixed(1) : '0.0'}%)`,
    );
  }
  return lines.join('\n');
}
