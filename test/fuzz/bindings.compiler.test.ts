/**
 * The fuzzer's bindings target (fuzz/bindings/): seeded schemas of hostile
 * names, each generated in both targets, compiled under tsc --strict and
 * run against a recording transport.  A bounded run in CI: a fixed seed,
 * every command shape, modules clashing in case; every schema's bindings
 * must compile and send each call unchanged.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBindingsCampaign, type BindingsReport } from '../../fuzz/bindings/campaign.js';
import { COMMAND_SHAPES, randomHostileSchema } from '../../fuzz/bindings/schema.js';
import { Rng } from '../../fuzz/random.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const SEED = 20260119;
const COUNT = 12;

const describeFailure = (r: BindingsReport): string => (r.verdict.ok ? '' : `#${r.index} ${r.verdict.kind}: ${r.verdict.detail}\n  ${r.schema.summary}\n  kept in ${r.savedTo}`);

describe('hostile schemas', () => {
  it('are rebuilt alike from their seed and index', () => {
    expect(randomHostileSchema(Rng.forInput(7, 3))).toEqual(randomHostileSchema(Rng.forInput(7, 3)));
    expect(randomHostileSchema(Rng.forInput(7, 3))).not.toEqual(randomHostileSchema(Rng.forInput(7, 4)));
  });
});

describe('bounded bindings fuzz run', () => {
  it(`${COUNT} schemas of hostile names: both targets compile strictly and send every call unchanged`, { timeout: 600_000 }, async () => {
    const reports = await runBindingsCampaign({
      seed: SEED,
      indices: Array.from({ length: COUNT }, (_, i) => i),
      batch: COUNT,
      failuresDir: join(PROJECT_ROOT, 'test', '.out-fuzz'),
    });
    expect(reports.filter((r) => !r.verdict.ok).map(describeFailure), `rebuild one with: npm run fuzz -- --target bindings --seed ${SEED} --only N`).toEqual([]);
    // The run reached what it is for.
    const summaries = reports.map((r) => r.schema.summary).join('\n');
    for (const shape of COMMAND_SHAPES) expect(summaries, shape).toContain(`:${shape}`);
    expect(reports.reduce((n, r) => n + r.schema.calls.length, 0)).toBeGreaterThan(COUNT * 3);
    expect(reports.some((r) => r.schema.files.size > 3)).toBe(true);
  });
});
