/**
 * QEMU's own front-end suites, each read in its release's language
 * (`--qemu-version V`): every rejected case is rejected at the same first
 * FILE:LINE as QEMU's expected error, and at the same column wherever that
 * error has one; every accepted case dumps byte-identical to QEMU's
 * expected output; so do QEMU's whole schemas.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import { SchemaError } from '../../generator/source/diagnostics.js';
import { hasStackTrace, runInProcess } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

interface Case {
  readonly name: string;
  readonly json: string;
  readonly err: string;
  readonly out: string;
}

/** A case is NAME.json with its NAME.err (empty when accepted) and
 *  NAME.out; other .json files are only included by cases. */
function loadCases(dir: string): Case[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile())
    .map((f) => f.slice(0, -'.json'.length))
    .filter((name) => existsSync(join(dir, `${name}.err`)))
    .map((name) => ({
      name,
      json: join(dir, `${name}.json`),
      err: readFileSync(join(dir, `${name}.err`), 'utf8'),
      out: existsSync(join(dir, `${name}.out`)) ? readFileSync(join(dir, `${name}.out`), 'utf8') : '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The first `FILE:LINE[:COL]` at the start of a line of `text`. */
function firstLocation(text: string): { fileLine: string; column: string | undefined } | null {
  for (const line of text.split('\n')) {
    const m = /^([^\s:]+):(\d+)(?::(\d+))?:/.exec(line);
    if (m) return { fileLine: `${m[1]}:${m[2]}`, column: m[3] };
  }
  return null;
}

const SUITES = [
  { version: '7.2', rejected: 190, accepted: 8 },
  { version: '8.2', rejected: 194, accepted: 8 },
  { version: '9.2', rejected: 197, accepted: 8 },
  { version: '10.2', rejected: 199, accepted: 8 },
] as const;

describe.each(SUITES)('QEMU $version conformance suite', ({ version, rejected: rejectedCount, accepted: acceptedCount }) => {
  const suite = requireShared(`qemu-${version}/tests/qapi-schema`, `QEMU ${version} conformance suite`);
  const cases = suite.available ? loadCases(suite.path) : [];
  const rejected = cases.filter((c) => c.err !== '');
  const accepted = cases.filter((c) => c.out !== '');
  const flags = ['--qemu-version', version];

  /** Messages name files as given; QEMU's .err files name them relative
   *  to the suite's folder. */
  const relative = (text: string): string => text.split(`${suite.path}/`).join('');

  describe.skipIf(!suite.available)('cases', () => {
    it('has the expected number of cases', () => {
      expect(rejected).toHaveLength(rejectedCount);
      expect(accepted).toHaveLength(acceptedCount);
    });

    it.each(rejected.map((c) => [c.name, c] as const))('rejects %s where QEMU does', async (_name, c) => {
      const result = await runInProcess(['check', c.json, ...flags]);
      expect(result.code).toBe(1);
      expect(hasStackTrace(result.stderr)).toBe(false);
      const want = firstLocation(c.err);
      expect(want).not.toBeNull();
      const got = firstLocation(relative(result.stderr));
      expect(got?.fileLine).toBe(want!.fileLine);
      if (want!.column !== undefined) expect(got?.column).toBe(want!.column);
    });

    it.each(accepted.map((c) => [c.name, c] as const))('dumps %s as QEMU does', async (_name, c) => {
      const result = await runInProcess(['dump', c.json, ...flags]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(c.out);
    });

    it('rejects missing-schema: the schema file does not exist', () => {
      const err = readFileSync(join(suite.path, 'missing-schema.err'), 'utf8');
      expect(err).toContain('No such file or directory');
      const file = join(suite.path, 'missing-schema.json');
      expect(existsSync(file)).toBe(false);
      let caught: unknown = null;
      try {
        loadSchema(file, { qemuVersion: version });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SchemaError);
      const [only, ...more] = (caught as SchemaError).diagnostics;
      expect(more).toEqual([]);
      expect(only?.location).toBeUndefined();
      expect(only?.message).toBe(`cannot read the schema file '${file}': No such file or directory`);
    });
  });
});

const WHOLE_SCHEMAS = ['7.2', '8.2', '10.0', '10.2'] as const;

describe.each(WHOLE_SCHEMAS)("QEMU %s's whole schema", (version) => {
  const schema = requireShared(`qemu-${version}/qapi/qapi-schema.json`, `QEMU ${version} schema dump`);
  const expected = requireShared(`qemu-${version}/expected/qapi-schema.out`, `QEMU ${version} schema dump`);

  it.skipIf(!schema.available || !expected.available)(`dumps byte-identical to QEMU ${version} with --qemu-version ${version}`, async () => {
    const result = await runInProcess(['dump', schema.path, '--qemu-version', version]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout === readFileSync(expected.path, 'utf8')).toBe(true);
  });
});
