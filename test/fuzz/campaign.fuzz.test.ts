/**
 * The bounded fuzz run of CI: a fixed seed, fifty mutants drawn from the
 * releases' schemas in ../shared.  Each must end in exit 0 or a located
 * error within the fuzzer's bounds (CPU time, wall time and resident
 * memory per input),
 * never an internal error or a stack trace.  A failure names the inputs and
 * the command that rebuilds each; the inputs are kept in test/.out-fuzz/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, runCampaign, type InputReport } from '../../fuzz/campaign.js';
import { loadCorpus } from '../../fuzz/corpus.js';
import { OPERATORS } from '../../fuzz/mutate/index.js';
import { figures } from '../../fuzz/summary.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';

const SEED = 20251202;
const COUNT = 50;
const shared = requireShared('qemu-7.2/qapi', 'the bounded fuzz run');

function describeFailure(r: InputReport): string {
  const kind = r.verdict.ok ? '' : `${r.verdict.kind}: ${r.verdict.detail}`;
  return `#${r.index} (${r.corpus}) ${kind}\n  ${r.operations.join('\n  ')}\n  kept in ${r.savedTo}`;
}

describe.skipIf(!shared.available)('bounded fuzz run', () => {
  it(`${COUNT} mutants of QEMU's schemas each end in exit 0 or a located error`, { timeout: 300_000 }, async () => {
    const corpus = loadCorpus(SHARED);
    const reports = await runCampaign({
      corpus,
      seed: SEED,
      indices: Array.from({ length: COUNT }, (_, i) => i),
      ...DEFAULT_LIMITS,
      jobs: 2,
      verb: 'dump',
      failuresDir: join(PROJECT_ROOT, 'test', '.out-fuzz'),
      rerunCommand: (i) => `npm run fuzz -- --seed ${SEED} --only ${i}`,
    });
    const failures = reports.filter((r) => !r.verdict.ok);
    expect(failures.map(describeFailure), `rebuild one with: npm run fuzz -- --seed ${SEED} --only N`).toEqual([]);

    // The run did exercise the front end: both verdicts, every operator.
    const f = figures(reports);
    expect(f.inputs).toBe(COUNT);
    expect(f.accepted).toBeGreaterThan(COUNT / 20);
    expect(f.rejected).toBeGreaterThan(COUNT / 2);
    for (const [name] of OPERATORS) expect(f.operators[name], name).toBeGreaterThan(0);
  });
});
