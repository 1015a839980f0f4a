/**
 * The bindings generated again and again (generate --watch: emit/kept.ts
 * with the front end's cache): after each edit of a sequence over QEMU
 * 7.2's schema, the files are byte for byte those of a fresh load and a
 * cold generation, while only the files the edit can reach are emitted
 * again, and only the edited file is read again.  An edit that breaks
 * another module is reported, and its repair regenerates.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptBackend } from '../../generator/backends/typescript.js';
import { KeptBindings } from '../../generator/emit/kept.js';
import { FrontEndCache } from '../../generator/frontend-cache.js';
import { generateFrom } from '../../generator/generate.js';
import { resolveInput } from '../../generator/input/resolve.js';
import { completeSettings } from '../../generator/settings/table.js';
import { KeptTexts } from '../../generator/source/files.js';
import { formatDiagnostic, SchemaError } from '../../generator/source/diagnostics.js';
import { requireShared } from '../helpers/shared.js';

const DOC = "\n##\n# @netdev-extra:\n#\n# Does something extra.\n#\n# @id: the netdev\n#\n# Since: 7.2\n##\n{ 'command': 'netdev-extra', 'data': { 'id': 'str' } }\n";

interface Step {
  readonly what: string;
  readonly file: string;
  /** The file's new text, from its text and the text it had at the start. */
  readonly edit: (text: string, original: string) => string;
  /** The files that may be emitted again (`module NAME`, `client`), or
   *  what the errors say where the schema no longer loads; null: not
   *  checked. */
  readonly emitted: readonly string[] | RegExp | null;
}

const STEPS: Step[] = [
  {
    what: 'a doc comment only',
    file: 'block-core.json',
    edit: (t) => t.replace('# @filename: path to the image file', '# @filename: the path to the image file'),
    emitted: ['module block-core.json'],
  },
  {
    what: 'a new member',
    file: 'block-core.json',
    edit: (t) => t.replace("'*aio-max-batch': 'int',", "'*aio-max-batch': 'int', '*extra-flag': 'bool',"),
    emitted: ['module block-core.json', 'module block.json', 'module block-export.json', 'module transaction.json', 'module qom.json', 'client'],
  },
  {
    what: 'a type another module uses, removed',
    file: 'common.json',
    // The definition and its doc comment.
    edit: (t) => t.replace(/##\n# @OnOffAuto:[^]*?'data': \[ 'auto', 'on', 'off' \] \}\n/, ''),
    emitted: /block-core\.json:\d+:\d+: [^\n]*'OnOffAuto'/,
  },
  // What the front end kept is the broken text's: the definitions after
  // the removed one moved, so every module using them is emitted again.
  { what: 'the type put back', file: 'common.json', edit: (_t, original) => original, emitted: null },
  {
    what: 'an enum value renamed',
    file: 'common.json',
    edit: (t) => t.replace("'data': [ 'auto', 'on', 'off' ] }", "'data': [ 'automatic', 'on', 'off' ] }").replace('# @auto: QEMU selects', '# @automatic: QEMU selects'),
    emitted: ['module common.json', 'module block-core.json', 'module block.json', 'module block-export.json', 'module transaction.json', 'module qom.json', 'client'],
  },
  {
    what: 'a line added at the top of a module',
    file: 'net.json',
    edit: (t) => `# An added comment.\n${t}`,
    emitted: ['module net.json', 'module machine.json', 'module qom.json', 'client'],
  },
  { what: 'a command added', file: 'net.json', edit: (t) => t + DOC, emitted: ['module net.json', 'client'] },
  {
    what: "a command's argument added",
    file: 'net.json',
    edit: (t) =>
      t
        .replace("{ 'command': 'netdev_del', 'data': {'id': 'str'},", "{ 'command': 'netdev_del', 'data': {'id': 'str', '*force': 'bool'},")
        .replace('# @id: the name of the network backend to remove\n', '# @id: the name of the network backend to remove\n#\n# @force: even if in use\n'),
    emitted: ['module net.json', 'client'],
  },
  {
    what: "a type a command returns, its member's doc edited",
    file: 'block-core.json',
    edit: (t) => t.replace('# @format: format of the image file', '# @format: the format of the image file'),
    emitted: ['module block-core.json'],
  },
];

const shared = requireShared('qemu-7.2/qapi', 'the kept bindings test');

describe.skipIf(!shared.available)('bindings generated again and again, over edits of QEMU 7.2 schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-kept-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(shared.path, dir, { recursive: true });
  const root = join(dir, 'qapi-schema.json');
  const source = { kind: 'schema', path: root, language: { qemuVersion: '7.2' } } as const;
  const settings = completeSettings({});
  const cache = new FrontEndCache();
  const texts = new KeptTexts();
  /** The files the kept texts read (rather than kept). */
  const read: string[] = [];
  const readKept = texts.read.bind(texts);
  texts.read = (path, readFile) => readKept(path, (p) => (read.push(basename(p)), readFile(p)));
  const keep = new Map<string, unknown>();

  /** The files through the watch's path, or the errors. */
  const kept = async () => {
    try {
      const input = await resolveInput(source, { cache, texts });
      return generateFrom(input, typescriptBackend, settings, keep).files;
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      return e.diagnostics.map((d) => formatDiagnostic(d));
    }
  };
  const cold = async () => {
    try {
      return generateFrom(await resolveInput(source), typescriptBackend, settings).files;
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      return e.diagnostics.map((d) => formatDiagnostic(d));
    }
  };

  it('the first run is a cold generation', async () => {
    expect(await kept()).toEqual(await cold());
  });

  const originals = new Map<string, string>();

  it.each(STEPS)('$what: as a cold generation', async ({ file, edit, emitted }) => {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    if (!originals.has(file)) originals.set(file, before);
    const after = edit(before, originals.get(file)!);
    expect(after, 'the edit changes the file').not.toBe(before);
    writeFileSync(path, after);
    const runs = (keep.get('typescript:kept') as KeptBindings).lastRun;
    read.length = 0;
    const got = await kept();
    // A schema that fails is read again in the other languages (for the
    // hint naming those that accept it), the root file too, which the
    // first read took apart from the kept texts.
    expect(read, 'only the edited file is read again').toEqual(emitted instanceof RegExp ? [file, 'qapi-schema.json'] : [file]);
    expect(got).toEqual(await cold());
    if (emitted instanceof RegExp) {
      expect((got as string[]).join('\n')).toMatch(emitted);
      return;
    }
    expect(got.length, String(got)).toBeGreaterThan(70);
    const counts = (keep.get('typescript:kept') as KeptBindings).lastRun;
    expect(counts, 'a new run').not.toBe(runs);
    expect(counts.emitted, 'the edited module is emitted again').toContain(`module ${file}`);
    if (emitted !== null) expect(new Set([...counts.emitted, ...emitted])).toEqual(new Set(emitted));
    expect(counts.reused).toBeGreaterThan(25);
  });
});
