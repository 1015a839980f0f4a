/**
 * The stamp of a generated output (cli/writer/stamp.ts): a run asked what
 * the last run was asked, of unchanged inputs, by the same generator,
 * answers from the stamp without entering the front end (counted here by a
 * spy on loadSchema); every kind of change makes it do the whole work, and
 * what it writes then is what a run into an empty directory writes.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

// The spy replaces the front end's module for this file only: test files
// share a worker and its modules (vitest.config.ts), so the sources are
// loaded afresh with the spy in place, and afresh without it once the file
// is done, leaving the next file the modules it would have had.
const FRONTEND = '../../generator/frontend.js';
vi.doMock(FRONTEND, async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../generator/frontend.js')>();
  return { ...actual, loadSchema: vi.fn(actual.loadSchema) };
});
vi.resetModules();
const { loadSchema } = await import('../../generator/frontend.js');
const { runBuilt, runInProcess } = await import('../helpers/cli.js');
afterAll(() => {
  vi.doUnmock(FRONTEND);
  vi.resetModules();
});

const STAMP = '.qapi-ts-stamp.json';

/** A root module and the module it includes (test/fixtures/two-modules/). */
const SCHEMA = join(PROJECT_ROOT, 'test', 'fixtures', 'two-modules');

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-stamp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A schema and an output directory beside it. */
interface Tree {
  readonly dir: string;
  readonly schema: string;
  readonly out: string;
}

let trees = 0;
function newTree(): Tree {
  const dir = join(work, `tree-${++trees}`);
  cpSync(SCHEMA, join(dir, 'qapi'), { recursive: true });
  return { dir, schema: join(dir, 'qapi', 'root.json'), out: join(dir, 'out') };
}

const loads = (): number => vi.mocked(loadSchema).mock.calls.length;

async function generate(tree: Tree, flags: readonly string[] = [], out = tree.out): Promise<CliResult & { loads: number }> {
  const before = loads();
  const r = await runInProcess(['generate', tree.schema, '-o', out, ...flags]);
  return { ...r, loads: loads() - before };
}

/** Every file of a directory but the stamp, with its content. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f !== STAMP)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

const edit = (path: string, from: string, to: string): void => {
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

interface Change {
  readonly what: string;
  /** Changes the tree after a first run; returns the flags of the second. */
  readonly apply: (tree: Tree) => readonly string[];
  /** Whether the second run does the whole work. */
  readonly regenerates: boolean;
}

const CHANGES: Change[] = [
  { what: 'nothing', apply: () => [], regenerates: false },
  {
    what: 'nothing, but the tree moved (paths in the stamp are relative to the output)',
    apply: (tree) => {
      renameSync(tree.dir, `${tree.dir}-moved`);
      mkdirSync(tree.dir);
      renameSync(`${tree.dir}-moved`, join(tree.dir, 'moved'));
      return [];
    },
    regenerates: false,
  },
  { what: 'a byte of the root file', apply: (t) => (edit(t.schema, 'Checks the connection.', 'Checks the Connection.'), []), regenerates: true },
  { what: 'a byte of an included file', apply: (t) => (edit(join(t.dir, 'qapi', 'sub.json'), '@red: warm', '@red: Warm'), []), regenerates: true },
  {
    what: 'a file included anew',
    apply: (t) => {
      writeFileSync(join(t.dir, 'qapi', 'more.json'), "##\n# @Empty:\n#\n# Nothing.\n#\n# Since: 1.0\n##\n{ 'struct': 'Empty', 'data': {} }\n");
      edit(t.schema, "{ 'include': 'sub.json' }", "{ 'include': 'sub.json' }\n{ 'include': 'more.json' }");
      return [];
    },
    regenerates: true,
  },
  { what: 'a setting given as a flag', apply: () => ['--int64', 'number'], regenerates: true },
  {
    what: 'a setting given in the config file',
    apply: (t) => {
      writeFileSync(join(t.dir, 'qapi-ts.config.json'), JSON.stringify({ target: 'ts' }));
      return ['--config', join(t.dir, 'qapi-ts.config.json')];
    },
    regenerates: true,
  },
  { what: 'the language', apply: () => ['--qemu-version', '9.2'], regenerates: true },
  {
    what: 'the generator (a stamp a different build wrote)',
    apply: (t) => (edit(join(t.out, STAMP), '"generator": "', '"generator": "0.0.1+older'), []),
    regenerates: true,
  },
  { what: 'a generated file edited', apply: (t) => (writeFileSync(join(t.out, 'root.js'), 'edited\n'), []), regenerates: true },
  { what: 'a generated file removed', apply: (t) => (rmSync(join(t.out, 'sub.d.ts')), []), regenerates: true },
  {
    what: 'a generated file of an earlier run left in the directory',
    apply: (t) => (writeFileSync(join(t.out, 'gone.js'), '// Generated by qapi-ts from the QAPI schema root.json.\n'), []),
    regenerates: true,
  },
  { what: 'the stamp removed', apply: (t) => (rmSync(join(t.out, STAMP)), []), regenerates: true },
  { what: 'the stamp unreadable', apply: (t) => (writeFileSync(join(t.out, STAMP), '{ not json'), []), regenerates: true },
  {
    what: "a dead run's staging folder beside the output",
    apply: (t) => (cpSync(t.out, join(t.dir, '.out.qapi-ts-stage-999999-AbCdEf'), { recursive: true }), []),
    regenerates: true,
  },
];

describe('generate with its output up to date', () => {
  it.each(CHANGES)('after $what: regenerates $regenerates, and writes what a fresh run writes', async ({ apply, regenerates }) => {
    const tree = newTree();
    const first = await generate(tree);
    expect(first.code, first.stderr).toBe(0);
    expect(first.loads).toBe(1);
    expect(existsSync(join(tree.out, STAMP))).toBe(true);

    const flags = apply(tree);
    const moved = existsSync(tree.schema) ? tree : { dir: join(tree.dir, 'moved'), schema: join(tree.dir, 'moved', 'qapi', 'root.json'), out: join(tree.dir, 'moved', 'out') };
    const second = await generate(moved, flags);
    expect(second.code, second.stderr).toBe(0);
    expect(second.loads).toBe(regenerates ? 1 : 0);
    if (!regenerates) expect(second.stdout).toBe(`up to date: ${moved.out}\n`);

    const fresh = await generate(moved, flags, join(moved.dir, 'fresh'));
    expect(contents(moved.out)).toEqual(contents(join(moved.dir, 'fresh')));
    // And the run after it is answered from the stamp.
    const third = await generate(moved, flags);
    expect([fresh.code, third.code, third.loads]).toEqual([0, 0, 0]);
  });

  it('replays the warnings of the run that wrote the stamp', async () => {
    const tree = newTree();
    const first = await generate(tree, ['--if', 'CONFIG_NOTHING']);
    expect(first.stderr).toMatch(/CONFIG_NOTHING/);
    const second = await generate(tree, ['--if', 'CONFIG_NOTHING']);
    expect(second.loads).toBe(0);
    expect(second.stderr).toBe(first.stderr);
  });

  it('--format writes no stamp (its result depends on the user\'s prettier), so every run does the whole work', async () => {
    const tree = newTree();
    expect((await generate(tree, ['--format'])).loads).toBe(1);
    expect(existsSync(join(tree.out, STAMP))).toBe(false);
    expect((await generate(tree, ['--format'])).loads).toBe(1);
    // A stamp of an earlier run goes with the set it described.
    expect((await generate(tree)).loads).toBe(1);
    expect(existsSync(join(tree.out, STAMP))).toBe(true);
    expect((await generate(tree, ['--format'])).loads).toBe(1);
    expect(existsSync(join(tree.out, STAMP))).toBe(false);
  });
});

describe('generate --check', () => {
  it('passes from the stamp without reading the schema, and is not fooled by an edited input', async () => {
    const tree = newTree();
    await generate(tree);
    const unchanged = await generate(tree, ['--check']);
    expect([unchanged.code, unchanged.stdout, unchanged.stderr, unchanged.loads]).toEqual([0, '', '', 0]);
    edit(join(tree.dir, 'qapi', 'sub.json'), '@red: warm', '@red: Warm');
    const changed = await generate(tree, ['--check']);
    expect(changed.loads).toBe(1);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/changed: sub\.(js|d\.ts)/);
    // --check writes nothing, not even a stamp: the next run does the work.
    expect((await generate(tree, ['--check'])).loads).toBe(1);
  });

  it('ignores the stamp when comparing (a stale stamp alone is no difference)', async () => {
    const tree = newTree();
    await generate(tree);
    edit(tree.schema, '{ \'include\'', "# a comment changes no output\n{ 'include'");
    const r = await generate(tree, ['--check']);
    expect([r.code, r.loads]).toEqual([0, 1]);
  });
});

describe('the built CLI', () => {
  it('says the output is up to date, from the stamp', () => {
    const tree = newTree();
    const args = ['generate', tree.schema, '-o', tree.out];
    expect(runBuilt(args).code).toBe(0);
    const again = runBuilt(args);
    expect([again.code, again.stdout, again.stderr]).toEqual([0, `up to date: ${tree.out}\n`, '']);
    const stamp = JSON.parse(readFileSync(join(tree.out, STAMP), 'utf8')) as { inputs: { path: string }[]; outputs: { path: string }[] };
    expect(stamp.inputs.map((i) => i.path)).toEqual(['../qapi/root.json', '../qapi/sub.json']);
    expect(stamp.outputs.map((o) => o.path).sort()).toEqual(Object.keys(contents(tree.out)));
  });
});
