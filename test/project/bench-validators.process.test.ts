/**
 * The validator comparison of `npm run bench` (bench/validators.mjs): it
 * loads the built generator and runtime by path, and refuses to time
 * validators that disagree, so that it runs here shows the generated
 * validators and ajv agree on every recorded input, valid and with one
 * unknown member; its inputs are the recorded traffic it names, and its
 * ratios the quotients of the rows they name.  No time is asserted: speed
 * is the bench's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratioProblems, runBench } from '../helpers/bench.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'the validator bench');
const traffic = join(PROJECT_ROOT, 'test', 'fixtures', 'traffic', 'qemu-7.2.jsonl');

describe.skipIf(!schema.available)('bench: generated validators against ajv', () => {
  it('agrees with ajv on every recorded input, and reports what it measured', async () => {
    const rows = await runBench('validators.mjs', 'benchValidators', { rounds: 1 });
    const recorded = readFileSync(traffic, 'utf8').trim().split('\n').length;
    expect(rows.map((r) => r.name)).toEqual([
      `inputs: recorded argument objects (${recorded} commands)`,
      'generated validators, valid',
      'ajv from the JSON Schema, valid',
      'ajv time / generated time, valid',
      'generated validators, one unknown member',
      'ajv from the JSON Schema, one unknown member',
      'ajv time / generated time, one unknown member',
    ]);
    expect(rows[0]!.value).toBe(recorded);
    expect(ratioProblems(rows)).toEqual([]);
    expect(rows[3]!.of).toEqual([rows[2]!.name, rows[1]!.name]);
    expect(rows[6]!.of).toEqual([rows[5]!.name, rows[4]!.name]);
  });
});
