/**
 * The printing comparison of `npm run bench` (bench/emitters.mjs), on the
 * golden schema for speed: it compares the printer with the library path
 * (prettier laying out the same code printed flat) on the same files, and
 * refuses to time two paths whose output differs, so that it runs here
 * shows the two print the same text, in this process and as whole
 * `generate` runs; its rows are the files it says it printed, its ratios
 * the quotients of the rows they name, and its baseline QEMU's generator of
 * the schema's own release, where that is unpacked (always under CI).
 * No time is asserted: speed is the bench's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitBindings } from '../../generator/emit/pipeline.js';
import { loadSchema } from '../../generator/frontend.js';
import { ratioProblems, runBench } from '../helpers/bench.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const schema = { path: join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), qemuVersion: '7.2' };
const qapiGen = join(process.env.QAPI_TS_QEMU_SRC_ROOT ?? '/opt', 'qemu-src-7.2');

describe('bench: the printer against the library path', () => {
  it('prints the same text both ways, and reports what it measured', { timeout: 120_000 }, async () => {
    const rows = await runBench('emitters.mjs', 'benchEmitters', { runs: 1, schema });
    const files = emitBindings(loadSchema(schema.path, { qemuVersion: '7.2' }).model, { target: 'ts' }).files.length;
    const hasQapiGen = existsSync(join(qapiGen, 'scripts', 'qapi-gen.py'));
    // .ci/run unpacks QEMU 7.2's generator: under CI the baseline must be there.
    if (process.env.CI) expect(hasQapiGen, `${qapiGen} (run .ci/get-qemu-source 7.2)`).toBe(true);
    const version = hasQapiGen ? readFileSync(join(qapiGen, 'VERSION'), 'utf8').trim() : '';

    expect(rows.map((r) => r.name.replace(/\d+ files \(ts\)/, 'N files (ts)').replace(/, \d+ files/, ', N files'))).toEqual([
      "print N files (ts), qapi-ts's printer (median of 1)",
      "print N files (ts), flat print + prettier's layout: the library path (median of 1)",
      'library path / printer, printing',
      "fresh process: 'node' alone (median)",
      'fresh process: load prettier (median)',
      'fresh process: load the emitter pipeline (median)',
      'cold generate (js+dts), the printer: whole process (median of 1)',
      'cold generate (js+dts), the library path: --format, fixed options, optimizer on (median of 1)',
      'library path / printer, cold generate',
      ...(hasQapiGen
        ? [
            `qapi-gen.py -b of QEMU ${version}, same schema, N files (median of 1)`,
            'the printer / qapi-gen.py, cold generate (goal: at most 1.0)',
            'the library path / qapi-gen.py, cold generate (goal: at most 1.0)',
          ]
        : []),
    ]);
    expect(rows[0]!.name).toContain(`print ${files} files (ts)`);
    expect(ratioProblems(rows)).toEqual([]);
    expect(rows.find((r) => r.name === 'library path / printer, cold generate')?.of).toEqual([rows[7]!.name, rows[6]!.name]);
  });
});
