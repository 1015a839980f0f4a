/**
 * The validator comparison of `npm run bench` still runs: it loads the built
 * generator and runtime by path, and refuses to time validators that
 * disagree, so a moved module or a changed verdict shows here rather than
 * on the next bench run.  (No time is asserted: speed is the bench's.)
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../helpers/bench.js';
import { requireShared } from '../helpers/shared.js';

const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'the validator bench');

describe.skipIf(!schema.available)('bench: generated validators against ajv', () => {
  it('agrees with ajv on every recorded input and reports both timings', async () => {
    const rows = await runBench('validators.mjs', 'benchValidators', { rounds: 1 });
    const ratios = rows.filter((r) => r.unit === 'x');
    expect(ratios.map((r) => r.name)).toEqual(['ajv time / generated time, valid', 'ajv time / generated time, one unknown member']);
    for (const r of ratios) expect(r.value).toBeGreaterThan(0);
  });
});
