/**
 * The bindings generated again and again (generate --watch: emit/kept.ts
 * with the front end's cache): after each edit of a sequence over QEMU
 * 7.2's schema, the files are byte for byte those of a fresh load and a
 * cold generation, while only the files the edit can reach are emitted
 * again.  An edit that breaks another module is reported, and its repair
 * regenerates.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptBackend } from '../../generator/backends/typescript.js';
import { KeptBindings } from '../../generator/emit/kept.js';
import { FrontEndCache } from '../../generator/frontend-cache.js';
import { generateFrom } from '../../generator/generate.js';
import { resolveInput } from '../../generator/input/resolve.js';
import { completeSettings } from '../../generator/settings/table.js';
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
    emitted: ['module block-core.json', 'client'],
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
  const keep = new Map<string, unknown>();

  /** The files through the watch's path, or the errors. */
  const kept = async () => {
    try {
      const input = await resolveInput(source, { cache });
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
    const got = await kept();
    expect(got).toEqual(await cold());
    if (emitted instanceof RegExp) {
      expect((got as string[]).join('\n')).toMatch(emitted);
      return;
    }
    expect(got.length, String(got)).toBeGreaterThan(70);
    const counts = (keep.get('typescript:kept') as KeptBindings).lastRun;
    expect(counts, 'a new run').not.toBe(runs);
    if (emitted !== null) expect(new Set([...counts.emitted, ...emitted])).toEqual(new Set(emitted));
    expect(counts.reused).toBeGreaterThan(25);
  });
});
