/**
 * The fuzzer's runtime target (fuzz/runtime/): deep values in events,
 * replies and checks, read by the public runtime API against a test peer.
 * Its parts (values as text and as objects, levels counted back, the
 * verdicts), then a bounded run in CI: a fixed seed, every shape in every
 * placement, depths up to 100 000 levels; each case must end without a
 * crash, a hang or an untyped error, with the connection still working.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../fuzz/campaign.js';
import { depthOf, levelsOf, PLACEMENTS, SHAPES, valueOf, valueText, type DeepCase } from '../../fuzz/runtime/cases.js';
import { describeDeep, judgeDeep, runDeepCampaign } from '../../fuzz/runtime/campaign.js';

describe('deep values', () => {
  it.each(SHAPES.flatMap((shape) => [2, 3, 10, 501].map((depth) => [shape, depth] as const)))('%s %i levels: as text and as a value, counted back alike', (shape, depth) => {
    expect(depthOf(shape, JSON.parse(valueText(shape, depth)))).toBe(levelsOf(shape, depth));
    expect(depthOf(shape, valueOf(shape, depth))).toBe(levelsOf(shape, depth));
  });

  it('counts 100 000 levels without recursion', () => {
    expect(depthOf('node', valueOf('node', 100_000))).toBe(100_000);
  });
});

describe('verdicts on deep values', () => {
  const at = (depth: number, placement: DeepCase['placement'] = 'event'): DeepCase => ({ shape: 'node', placement, depth });
  it.each([
    ['read whole', at(3000), { outcome: 'read', levels: 3000 } as const, true],
    ['read short', at(30), { outcome: 'read', levels: 29 } as const, 'wrong-value'],
    ['reported when deep', at(3000), { outcome: 'reported', reason: 'too-deep' } as const, true],
    ['reported when shallow', at(30), { outcome: 'reported', reason: 'too-deep' } as const, 'refused-shallow'],
    ['rejected typed when deep', at(3000, 'reply'), { outcome: 'rejected', typed: true, error: 'QmpProtocolError' } as const, true],
    ['rejected with a RangeError', at(3000, 'reply'), { outcome: 'rejected', typed: false, error: 'RangeError' } as const, 'untyped-rejection'],
    ['a check that throws', at(3000, 'check'), { outcome: 'threw', error: 'RangeError' } as const, 'threw'],
    ['a cycle passing the check', at(10, 'check-cycle'), { outcome: 'problems', problems: 0 } as const, 'cycle-missed'],
    ['a cycle reported', at(10, 'check-cycle'), { outcome: 'problems', problems: 1 } as const, true],
    ['a connection gone after it', at(3000), { outcome: 'broken', detail: 'no MARK' } as const, 'broken'],
  ])('%s', (_name, c, answer, want) => {
    const verdict = judgeDeep(c, answer);
    if (want === true) expect(verdict.ok).toBe(true);
    else expect(verdict).toMatchObject({ ok: false, kind: want });
  });
});

const SEED = 20260119;
const COUNT = 80;

describe('bounded runtime fuzz run', () => {
  it(`${COUNT} deep values read by the runtime: no crash, no hang, typed errors only`, { timeout: 300_000 }, async () => {
    const reports = await runDeepCampaign({
      seed: SEED,
      indices: Array.from({ length: COUNT }, (_, i) => i),
      ...DEFAULT_LIMITS,
      jobs: 2,
    });
    expect(reports.filter((r) => !r.verdict.ok).map(describeDeep), `rebuild one with: npm run fuzz -- --target runtime --seed ${SEED} --only N`).toEqual([]);
    // The run reached what it is for: every shape and placement, shallow
    // values and ones past 2500 levels.
    for (const shape of SHAPES) expect(reports.some((r) => r.case.shape === shape), shape).toBe(true);
    for (const placement of PLACEMENTS) expect(reports.some((r) => r.case.placement === placement), placement).toBe(true);
    expect(reports.filter((r) => r.case.depth > 2500).length).toBeGreaterThan(COUNT / 5);
    expect(reports.filter((r) => r.case.depth <= 500).length).toBeGreaterThan(COUNT / 5);
  });
});
