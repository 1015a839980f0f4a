/**
 * The bounded differential run of CI: for each release whose QEMU front end
 * `.ci/get-qemu-source` has unpacked, a fixed seed's mutants of that
 * release's whole schema and suite, each judged by qapi-ts in that
 * release's language and by QEMU's own front end: none may disagree (one
 * accepting what the other rejects, another first FILE:LINE, another
 * model).  .ci/run fetches 7.2's and 10.0's sources (the others come
 * from a git clone of QEMU, which CI has not), so under CI those two run and
 * fail if absent; elsewhere every release whose source is unpacked runs, and
 * one whose source is absent skips with a notice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, runCampaign, type InputReport } from '../../fuzz/campaign.js';
import { loadCorpus } from '../../fuzz/corpus.js';
import { DISAGREEMENTS } from '../../fuzz/differential.js';
import { findQemuFrontEnd } from '../../fuzz/qemu.js';
import { figures } from '../../fuzz/summary.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';

const SEED = 20260119;
const PER_RELEASE = 8;
/** The releases .ci/run fetches QEMU's source of. */
const FETCHED_IN_CI = ['7.2', '10.0'];

const shared = requireShared('.', 'the bounded differential run');
const corpus = shared.available ? loadCorpus(SHARED) : [];
/** The releases .ci/get-qemu-source knows how to fetch (its `known=` line). */
const fetchable = /^known="([^"]*)"/m.exec(readFileSync(join(PROJECT_ROOT, '.ci', 'get-qemu-source'), 'utf8'))![1]!.split(/, | and /);
// Under CI, the releases .ci/run fetches and no others: a front end
// unpacked by hand on the machine would make CI run what a fresh machine's
// CI cannot.
const releases = [...new Set(corpus.flatMap((c) => (c.release ? [c.release] : [])))].filter((r) =>
  process.env.CI ? FETCHED_IN_CI.includes(r) : fetchable.includes(r),
);

const frontEnds = releases.map((release) => {
  const frontEnd = findQemuFrontEnd(release);
  if (!frontEnd) {
    const message = `differential run as QEMU ${release}: no front end in /opt/qemu-src-${release} (run .ci/get-qemu-source ${release})`;
    if (process.env.CI && FETCHED_IN_CI.includes(release)) throw new Error(`${message}; .ci/run fetches it and CI is set, so this is a failure, not a skip`);
    console.warn(`SKIPPING ${message}`);
  }
  return [release, frontEnd] as const;
});

const describeDisagreement = (r: InputReport): string[] =>
  (r.judged ?? []).filter((j) => DISAGREEMENTS.includes(j.comparison)).map((j) => `#${r.index} (${r.corpus}, ${r.root}): ${j.comparison}\n  ${r.operations.join('\n  ')}`);

describe.each(frontEnds)('bounded differential run as QEMU %s', (release, frontEnd) => {
  it.skipIf(!frontEnd)(`${PER_RELEASE} mutants of its schema and suite: qapi-ts and QEMU's front end agree on each`, { timeout: 600_000 }, async () => {
    const mine = corpus.filter((c) => c.release === release);
    const reports = await runCampaign({
      corpus: mine,
      seed: SEED,
      indices: Array.from({ length: PER_RELEASE }, (_, i) => i),
      ...DEFAULT_LIMITS,
      jobs: 2,
      verb: 'dump',
      qemu: new Map([[release, frontEnd!]]),
    });
    expect(reports.filter((r) => !r.verdict.ok).map((r) => `#${r.index}: ${r.verdict.ok ? '' : r.verdict.detail}`)).toEqual([]);
    expect(reports.flatMap(describeDisagreement), `rebuild one with: npm run fuzz -- --seed ${SEED} --corpus ${mine.map((c) => c.name).join(',')} --differential --only N`).toEqual([]);
    // QEMU's front end judged most of them (it gives no verdict on some
    // hostile inputs: invalid UTF-8, deep nesting).
    const f = figures(reports);
    expect(f.byRelease.get(release)?.judged ?? 0).toBeGreaterThan(PER_RELEASE / 2);
  });
});
