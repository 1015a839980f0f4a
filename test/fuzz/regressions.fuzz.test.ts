/**
 * Every fault the fuzzer found, as a small reproducer that must now end as
 * the front end promises: exit 0, or exit 1 at the stated FILE:LINE.  The
 * cases (test/fixtures/fuzz/regressions.json) run the way the fuzzer runs
 * its inputs, in the pool under the same bounds, since some of them hung.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FrontEndRunner } from '../../fuzz/campaign.js';
import type { Mutant, Special } from '../../fuzz/mutant.js';
import { formatLocation } from '../../fuzz/outcome.js';
import { MAX_INCLUDE_DEPTH } from '../../generator/parse/reader.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

interface RegressionCase {
  readonly name: string;
  /** How the fuzzer found it (seed, input, release), and the issue. */
  readonly found: string;
  /** Flags for the release's language ('--legacy', ...). */
  readonly args?: readonly string[];
  /** Schema files by name; the root is qapi-schema.json. */
  readonly files: Readonly<Record<string, string>>;
  readonly specials?: readonly Special[];
  /** 'accept', or the FILE:LINE of the first error. */
  readonly want: string;
}

/** Cases too large to spell out in the table, built here. */
const generated: RegressionCase[] = [
  {
    name: 'a long line of TAB-separated values, with a TAB line before it',
    found: 'npm run fuzz (long-line, TAB-separated): columns computed in quadratic time (issue 11 item 3)',
    args: ['--qemu-version', '7.2'],
    files: { 'qapi-schema.json': `\t\n{ 'enum': 'Many', 'data': [ ${Array.from({ length: 20_000 }, (_, i) => `'v${i}'`).join(',\t')} ] }\n` },
    want: 'accept',
  },
  {
    name: 'a chain of 3000 files, each including the next',
    found: 'npm run fuzz, seed 100 input 407 (hostile-include chain): exit 70, the call stack overflowed',
    args: ['--qemu-version', '7.2'],
    files: Object.fromEntries([
      ['qapi-schema.json', "{ 'include': 'chain/0.json' }\n"],
      ...Array.from({ length: 3000 }, (_, i) => [`chain/${i}.json`, `{ 'include': '${i + 1}.json' }\n`]),
      ['chain/3000.json', "{ 'enum': 'Last', 'data': [ 'x' ] }\n"],
    ]),
    want: `chain/${MAX_INCLUDE_DEPTH - 1}.json:1`,
  },
];

const table = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'fuzz', 'regressions.json'), 'utf8')) as RegressionCase[];
const cases = [...table, ...generated];
const runner = new FrontEndRunner({ jobs: 2, ...DEFAULT_LIMITS });
const work = mkdtempSync(join(tmpdir(), 'qapi-ts-regressions-'));
afterAll(() => {
  runner.close();
  rmSync(work, { recursive: true, force: true });
});

describe.each(cases.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
  it(`ends as promised (${c.want})`, async () => {
    const mutant: Mutant = {
      seed: 0,
      index: i,
      corpus: { name: 'regression', dir: '', root: 'qapi-schema.json', files: new Map(), cliArgs: c.args ?? [] },
      files: new Map(Object.entries(c.files).map(([name, text]) => [name, Buffer.from(text)])),
      specials: c.specials ?? [],
      operations: [],
    };
    const { result, verdict } = await runner.run(mutant, join(work, String(i)), 'dump');
    expect(verdict, result.stderr).toMatchObject({ ok: true });
    const got = verdict.ok && verdict.accepted ? 'accept' : verdict.location ? formatLocation(verdict.location) : '?';
    expect(got, result.stderr).toBe(c.want);
  });
});
