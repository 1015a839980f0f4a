/**
 * Mutants: rebuilt identically from (seed, index), different across
 * indices, each operator really changing the schema, and written out with
 * their special files; and failing inputs shrunk to what fails.
 */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../fuzz/corpus.js';
import { Draft } from '../../fuzz/mutate/draft.js';
import { minimize } from '../../fuzz/minimize.js';
import { makeMutant, OPERATORS } from '../../fuzz/mutate/index.js';
import { materialize, type Mutant } from '../../fuzz/mutant.js';
import { Rng } from '../../fuzz/random.js';

const ROOT = "##\n# = Paint\n##\n\n{ 'include': 'paint.json' }\n";
const MODULE = [
  '##',
  '# @Colour:',
  '#',
  '# @red: warm',
  '#',
  '# Since: 1.0',
  '##',
  "{ 'enum': 'Colour', 'data': [ 'red', 'green' ] }",
  '',
  '##',
  '# @paint:',
  '#',
  '# @colour: which one',
  '##',
  "{ 'command': 'paint', 'data': { 'colour': 'Colour', '*coats': 'int' } }",
  '',
].join('\n');

const corpus: CorpusEntry = {
  name: 'tiny',
  dir: '/nonexistent',
  root: 'qapi-schema.json',
  files: new Map([
    ['qapi-schema.json', Buffer.from(ROOT)],
    ['paint.json', Buffer.from(MODULE)],
  ]),
  cliArgs: [],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const snapshot = (m: Mutant): unknown => ({
  corpus: m.corpus.name,
  files: [...m.files].map(([name, bytes]) => [name, bytes.toString('base64')]),
  specials: m.specials,
  operations: m.operations,
});

describe('makeMutant', () => {
  it('rebuilds the same mutant from the same seed and index', () => {
    for (let index = 0; index < 30; index++) {
      expect(snapshot(makeMutant([corpus], 7, index))).toEqual(snapshot(makeMutant([corpus], 7, index)));
    }
  });

  it('builds different mutants for different indices and seeds', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 30; index++) seen.add(JSON.stringify(snapshot(makeMutant([corpus], 7, index))));
    for (let seed = 0; seed < 30; seed++) seen.add(JSON.stringify(snapshot(makeMutant([corpus], seed, 0))));
    expect(seen.size).toBeGreaterThanOrEqual(55);
  });
});

describe.each(OPERATORS.map(([name, , op]) => [name, op] as const))('operator %s', (name, operator) => {
  it('changes the schema, and says what it did', () => {
    let changed = 0;
    for (let seed = 0; seed < 20; seed++) {
      const draft = new Draft(corpus, new Rng(seed));
      const said = operator(draft);
      expect(said.split(' ', 1)[0]).toMatch(name === 'line-edit' ? /^line-(delete|duplicate|swap)$/ : new RegExp(`^${name}$`));
      const differs = [...draft.files].some(([file, bytes]) => !bytes.equals(corpus.files.get(file) ?? Buffer.alloc(0)));
      if (differs || draft.specials.length > 0) changed++;
    }
    // A token may be transplanted onto its twin, a line swapped with itself.
    expect(changed).toBeGreaterThanOrEqual(15);
  });
});

describe('materialize', () => {
  it('writes the whole schema, the changed files and the special files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-mutant-'));
    dirs.push(dir);
    const mutant: Mutant = {
      seed: 1,
      index: 2,
      corpus,
      files: new Map([['paint.json', Buffer.from('changed\n')], ['chain/0.json', Buffer.from('{}\n')]]),
      specials: [
        { kind: 'fifo', path: 'fifo.json' },
        { kind: 'directory', path: 'subdir' },
        { kind: 'sparse', path: 'huge.json', size: 2 ** 32 },
        { kind: 'symlink', path: 'loop.json', target: 'loop.json' },
      ],
      operations: [],
    };
    const out = join(dir, 'schema');
    materialize(mutant, out);
    expect(readFileSync(join(out, 'qapi-schema.json'), 'utf8')).toBe(ROOT);
    expect(readFileSync(join(out, 'paint.json'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(out, 'chain', '0.json'), 'utf8')).toBe('{}\n');
    expect(lstatSync(join(out, 'fifo.json')).isFIFO()).toBe(true);
    expect(lstatSync(join(out, 'subdir')).isDirectory()).toBe(true);
    const huge = statSync(join(out, 'huge.json'));
    expect(huge.size).toBe(2 ** 32);
    expect(huge.blocks * 512).toBeLessThan(2 ** 20); // sparse: no disk taken
    expect(readlinkSync(join(out, 'loop.json'))).toBe('loop.json');
  });
});

describe('minimize', () => {
  it('shrinks the files to what the failure needs', async () => {
    const start = new Map([
      ['root.json', Buffer.from("{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n# noise\n")],
      ['a.json', Buffer.from('one\ntwo\nthree\n')],
      ['b.json', Buffer.from('1\n2\nBOOM here\n3\n4\n')],
    ]);
    // Fails while some file has BOOM and the root still includes b.json.
    const stillFails = async (files: ReadonlyMap<string, Buffer>): Promise<boolean> =>
      files.get('root.json')!.includes("'b.json'") && [...files.values()].some((b) => b.includes('BOOM'));
    const { files, tries } = await minimize(start, 'root.json', stillFails);
    expect(Object.fromEntries([...files].map(([n, b]) => [n, b.toString()]))).toEqual({
      'root.json': "{ 'include': 'b.json' }\n",
      'a.json': '',
      'b.json': 'BOOM here\n',
    });
    expect(tries).toBeLessThan(40);
  });
});
