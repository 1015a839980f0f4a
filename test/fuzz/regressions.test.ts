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
import { DEFAULT_BOUNDS, FrontEndRunner } from '../../fuzz/campaign.js';
import type { Mutant, Special } from '../../fuzz/mutant.js';
import { formatLocation } from '../../fuzz/outcome.js';
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

const cases = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'fuzz', 'regressions.json'), 'utf8')) as RegressionCase[];
const runner = new FrontEndRunner({ jobs: 2, cpuMs: DEFAULT_BOUNDS.cpuMs, wallMs: DEFAULT_BOUNDS.wallMs, memoryBytes: DEFAULT_BOUNDS.memoryMiB * 2 ** 20 });
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
