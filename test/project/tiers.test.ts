/**
 * Every test file runs in exactly one tier, the one its name asks for
 * (test/setup/tiers.ts): vitest itself is asked which of its projects
 * takes each file, so a file vitest would never run (`x.spec.ts`,
 * `x.test.mts`, an unknown word such as `x.slow.test.ts`) or would run
 * twice fails here, by name.  And the unit tier refuses to start a process.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as childProcess from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { ProcessInUnitTierError, STARTERS } from '../setup/in-process.js';
import { testLikeFiles, tierFileName, TIER_NAMES, tierOfName, TIERS, type TierName } from '../setup/tiers.js';

/** Which of vitest's projects take each file, as vitest resolves the config under `root`. */
async function projectsByFile(root: string, config: string): Promise<Map<string, string[]>> {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const vitest = await createVitest('test', { root, config, watch: false }, {}, { stdout: quiet, stderr: quiet });
  try {
    const byFile = new Map<string, string[]>();
    for (const spec of await vitest.globTestSpecifications()) {
      const file = relative(root, spec.moduleId).split(sep).join('/');
      byFile.set(file, [...(byFile.get(file) ?? []), spec.project.name]);
    }
    return byFile;
  } finally {
    await vitest.close();
  }
}

/** What is wrong with how test files fall into tiers: one line per file. */
export function tierProblems(files: readonly string[], projects: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const taken = projects.get(file) ?? [];
    const wanted = tierOfName(file);
    if (taken.length === 0) problems.push(`${file}: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of ${TIER_NAMES.slice(1).join(', ')})`);
    else if (taken.length > 1) problems.push(`${file}: in ${taken.length} tiers (${taken.join(', ')})`);
    else if (taken[0] !== wanted) problems.push(`${file}: in the ${taken[0]} tier, but its name asks for ${wanted ?? 'none'}`);
  }
  for (const file of projects.keys()) if (!files.includes(file)) problems.push(`${file}: run by vitest, but not a test file name`);
  return problems;
}

describe('tiers', () => {
  it('every test file of the project runs in exactly the tier its name asks for', async () => {
    const files = testLikeFiles(PROJECT_ROOT);
    const projects = await projectsByFile(PROJECT_ROOT, join(PROJECT_ROOT, 'vitest.config.ts'));
    expect(tierProblems(files, projects)).toEqual([]);
    // Every tier holds something (a tier emptied by a rename is a mistake).
    const used = new Set([...projects.values()].flat());
    expect(TIER_NAMES.filter((t) => !used.has(t))).toEqual([]);
  });

  describe('made-up files under the same configuration', () => {
    const root = mkdtempSync(join(tmpdir(), 'qapi-ts-tiers-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const given: [file: string, tier: TierName | null][] = [
      ['test/a.test.ts', 'unit'],
      ['test/deep/b.process.test.ts', 'process'],
      ['test/c.compiler.test.ts', 'compiler'],
      ['test/d.qemu.test.ts', 'qemu'],
      ['test/e.fuzz.test.ts', 'fuzz'],
      ['test/f.nodes.test.ts', 'nodes'],
      ['test/with.dots.qemu.test.ts', 'qemu'],
      ['test/g.slow.test.ts', null],
      ['test/h.unit.test.ts', null],
      ['test/i.spec.ts', null],
      ['test/j.test.mts', null],
      ['test/k.test.js', null],
    ];

    it('land in the tier their names ask for, or in none', async () => {
      for (const [file] of given) {
        mkdirSync(join(root, dirname(file)), { recursive: true });
        writeFileSync(join(root, file), '');
      }
      const projects = await projectsByFile(root, join(PROJECT_ROOT, 'vitest.config.ts'));
      const got = given.map(([file]) => [file, projects.get(file) ?? []]);
      expect(got).toEqual(given.map(([file, tier]) => [file, tier === null ? [] : [tier]]));
      expect(tierProblems(testLikeFiles(root), projects)).toEqual([
        'test/g.slow.test.ts: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)',
        'test/h.unit.test.ts: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)',
        'test/i.spec.ts: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)',
        'test/j.test.mts: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)',
        'test/k.test.js: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)',
      ]);
    });
  });

  it.each<[string, Map<string, string[]>, string[]]>([
    ['one tier each', new Map([['test/a.test.ts', ['unit']], ['test/b.qemu.test.ts', ['qemu']]]), []],
    ['a file in two', new Map([['test/a.test.ts', ['unit', 'process']], ['test/b.qemu.test.ts', ['qemu']]]), ['test/a.test.ts: in 2 tiers (unit, process)']],
    ['a file in none', new Map([['test/a.test.ts', ['unit']]]), ['test/b.qemu.test.ts: in no tier (name it NAME.test.ts, or NAME.TIER.test.ts with TIER one of process, compiler, qemu, fuzz, nodes)']],
    ['a file in another tier than its name', new Map([['test/a.test.ts', ['unit']], ['test/b.qemu.test.ts', ['process']]]), ['test/b.qemu.test.ts: in the process tier, but its name asks for qemu']],
  ])('the check itself: %s', (_name, projects, want) => {
    expect(tierProblems(['test/a.test.ts', 'test/b.qemu.test.ts'], projects)).toEqual(want);
  });
});

describe("docs/development.md's table of tiers", () => {
  it('says what test/setup/tiers.ts says, tier by tier', () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'development.md'), 'utf8');
    const head = '| tier | file name | what its tests use |';
    const start = page.indexOf(head);
    expect(start, `docs/development.md has no table headed ${head}`).toBeGreaterThanOrEqual(0);
    const lines = page.slice(start).split('\n').slice(2);
    const end = lines.findIndex((line) => !line.startsWith('|'));
    const rows = end < 0 ? lines : lines.slice(0, end);
    expect(rows).toEqual(TIERS.map((t) => `| ${t.name} | \`${tierFileName(t.name)}\` | ${t.uses} |`));
  });
});

describe('the unit tier', () => {
  it.each(STARTERS)('refuses %s, naming the file and the tiers that start processes', (starter) => {
    const start = childProcess[starter] as (command: string) => unknown;
    expect(() => start('true')).toThrow(ProcessInUnitTierError);
    expect(() => start('true')).toThrow(`test/project/tiers.test.ts started a process (${starter} true)`);
    expect(() => start('true')).toThrow('.process.test.ts, .compiler.test.ts, .qemu.test.ts, .fuzz.test.ts, .nodes.test.ts');
  });

  it('refuses through a function imported by name, too', () => {
    expect(() => spawnSync('true')).toThrow(ProcessInUnitTierError);
  });
});
