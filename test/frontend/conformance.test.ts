/**
 * QEMU 7.2's own front-end suite: every rejected case is rejected at the
 * same FILE:LINE as QEMU's expected error; every accepted case dumps
 * byte-identical to QEMU's expected output; so does the whole 7.2 schema.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstFileLine, hasStackTrace, runInProcess } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

const suite = requireShared('qemu-7.2/tests/qapi-schema', 'QAPI conformance suite');

interface Case {
  readonly name: string;
  readonly json: string;
  readonly err: string;
  readonly out: string;
}

function loadCases(dir: string): Case[] {
  if (!suite.available) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile())
    .map((f) => f.slice(0, -'.json'.length))
    .filter((name) => existsSync(join(dir, `${name}.err`)))
    .map((name) => ({
      name,
      json: join(dir, `${name}.json`),
      err: readFileSync(join(dir, `${name}.err`), 'utf8'),
      out: readFileSync(join(dir, `${name}.out`), 'utf8'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const cases = loadCases(suite.path);
const rejected = cases.filter((c) => c.err !== '');
const accepted = cases.filter((c) => c.out !== '');

/** Messages name files as given; QEMU's .err files name them relative to
 *  the suite's folder. */
function relativeToSuite(text: string): string {
  return text.split(`${suite.path}/`).join('');
}

describe.skipIf(!suite.available)('QEMU 7.2 conformance suite', () => {
  it('has the expected number of cases', () => {
    expect(rejected).toHaveLength(190);
    expect(accepted).toHaveLength(8);
  });

  describe('rejected cases', () => {
    it.each(rejected.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const result = await runInProcess(['check', c.json]);
      expect(result.code).toBe(1);
      expect(hasStackTrace(result.stderr)).toBe(false);
      const want = firstFileLine(c.err);
      expect(want).not.toBeNull();
      expect(firstFileLine(relativeToSuite(result.stderr))).toBe(want);
    });
  });

  describe('accepted cases', () => {
    it.each(accepted.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const result = await runInProcess(['dump', c.json]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(c.out);
    });
  });
});

const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'QEMU 7.2 schema dump');
const expected = requireShared('qemu-7.2/expected/qapi-schema.out', 'QEMU 7.2 schema dump');

describe.skipIf(!schema.available || !expected.available)('QEMU 7.2 schema', () => {
  it('dumps byte-identical to QEMU', async () => {
    const result = await runInProcess(['dump', schema.path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout === readFileSync(expected.path, 'utf8')).toBe(true);
  });
});
