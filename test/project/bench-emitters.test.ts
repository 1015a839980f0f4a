/**
 * The printing comparison of `npm run bench` still runs: it bundles the
 * ts-morph reference emitter from test/helpers and loads the built printer,
 * so a moved module shows here rather than on the next bench run.  (No
 * time is asserted: speed is the bench's.)
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../helpers/bench.js';
import { requireShared } from '../helpers/shared.js';

const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'the emitter bench');

describe.skipIf(!schema.available)('bench: the printer against ts-morph and prettier', () => {
  it('prints with both and reports both timings', async () => {
    const rows = await runBench('emitters.mjs', 'benchEmitters', { runs: 1 });
    expect(rows.map((r) => r.unit)).toEqual(['ms', 'ms', 'x', 'ms', 'ms', 'ms']);
    expect(rows[0]!.name).toMatch(/^print \d+ files/);
    for (const r of rows) expect(r.value).toBeGreaterThan(0);
  }, 120_000);
});
