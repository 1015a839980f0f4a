/**
 * QEMU's own front-end suites, each read in its release's language
 * (`--qemu-version V`): every rejected case is rejected at the same first
 * FILE:LINE as QEMU's expected error, and at the same column wherever that
 * error has one; every accepted case dumps byte-identical to QEMU's
 * expected output; so do QEMU's whole schemas.  The suites and schemas are
 * every one ../shared holds (fuzz/shared-data.ts lists them).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import { SchemaError } from '../../generator/source/diagnostics.js';
import { hasStackTrace, runInProcess } from '../helpers/cli.js';
import { requireShared, SHARED } from '../helpers/shared.js';
import { sharedReleasesWith } from '../../fuzz/shared-data.js';

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

const shared = requireShared('.', "QEMU's conformance suites and schemas");
const SUITES = shared.available ? sharedReleasesWith('suite', SHARED) : [];
const WHOLE_SCHEMAS = shared.available ? sharedReleasesWith('expectedDump', SHARED).filter((r) => r.schema !== null) : [];

describe.skipIf(!shared.available)('../shared', () => {
  it('holds suites and whole schemas with their dumps', () => {
    expect(SUITES.length).toBeGreaterThan(0);
    expect(WHOLE_SCHEMAS.length).toBeGreaterThan(0);
  });
});

describe.each(SUITES.map((r) => [r.release, r] as const))('QEMU %s conformance suite', (_release, { suite: suitePath, flags, options }) => {
  const cases = loadCases(suitePath);
  const rejected = cases.filter((c) => c.err !== '');
  const accepted = cases.filter((c) => c.out !== '');

  /** Messages name files as given; QEMU's .err files name them relative
   *  to the suite's folder. */
  const relative = (text: string): string => text.split(`${suitePath}/`).join('');

  describe('cases', () => {
    it('has cases of both kinds, each either rejected or accepted', () => {
      expect(rejected.length).toBeGreaterThan(0);
      expect(accepted.length).toBeGreaterThan(0);
      expect(rejected.length + accepted.length).toBe(cases.length);
      expect(rejected.filter((c) => c.out !== '')).toEqual([]);
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
      const err = readFileSync(join(suitePath, 'missing-schema.err'), 'utf8');
      expect(err).toContain('No such file or directory');
      const file = join(suitePath, 'missing-schema.json');
      expect(existsSync(file)).toBe(false);
      let caught: unknown = null;
      try {
        loadSchema(file, options);
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

describe.each(WHOLE_SCHEMAS.map((r) => [r.release, r] as const))("QEMU %s's whole schema", (release, { schema, expectedDump, flags }) => {
  it(`dumps byte-identical to QEMU ${release} with ${flags.join(' ')}`, async () => {
    const result = await runInProcess(['dump', schema!.root, ...flags]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout === readFileSync(expectedDump, 'utf8')).toBe(true);
  });
});
