/**
 * The front end's cache for long-running callers (generate --watch): after
 * an edit, a load through the cache gives exactly what a fresh load gives
 * (the model's dump, or the errors), parses only the files the edit
 * touched, and reads doc comments of and checks only the definitions it
 * touched (an edited file's other items keep their syntax trees).  Each case edits a copy of QEMU 7.2's
 * schema after a first load through the cache.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpModel } from '../../generator/dump/dump.js';
import { FrontEndCache, type CacheCounts } from '../../generator/frontend-cache.js';
import { loadSchema } from '../../generator/frontend.js';
import { formatDiagnostic, SchemaError } from '../../generator/source/diagnostics.js';
import { requireShared } from '../helpers/shared.js';

/** One replacement in one file of the schema. */
interface Edit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

interface Case {
  readonly what: string;
  readonly edits: readonly Edit[];
  /** Whether the edited schema is still valid. */
  readonly valid: boolean;
  /** For a valid edit: how many definitions it touched (their doc comment
   *  or their text), the only ones checked again, and how many doc
   *  comments, the only ones read again. */
  readonly touched?: { readonly definitions: number; readonly docs: number };
}

const CASES: Case[] = [
  { what: 'nothing changed', edits: [], valid: true },
  {
    what: "a doc comment's text",
    edits: [{ file: 'block-core.json', from: '# @filename: path to the image file', to: '# @filename: the path to the image file' }],
    valid: true,
    touched: { definitions: 1, docs: 1 },
  },
  {
    what: 'a member added',
    edits: [{ file: 'block-core.json', from: "'*aio-max-batch': 'int',", to: "'*aio-max-batch': 'int', '*extra-flag': 'bool'," }],
    valid: true,
    touched: { definitions: 1, docs: 0 },
  },
  {
    // Every included definition moves in its include chain: an error about
    // a definition that did not change must name the new include line.
    what: 'the includes moved down, and a type an unchanged definition uses renamed',
    edits: [
      { file: 'qapi-schema.json', from: '# -*- Mode: Python -*-', to: '# -*- Mode: Python -*-\n\n' },
      { file: 'common.json', from: "{ 'enum': 'OnOffAuto',", to: "{ 'enum': 'OnOffAutoRenamed'," },
    ],
    valid: false,
  },
  {
    // The pragma changes what an unchanged definition's shape check allows.
    what: 'a name taken out of a pragma',
    edits: [{ file: 'pragma.json', from: "'BlkdebugEvent',", to: '' }],
    valid: false,
  },
  {
    what: 'a syntax error',
    edits: [{ file: 'block-core.json', from: "{ 'struct': 'BlockdevOptionsFile',", to: "{ 'struct' 'BlockdevOptionsFile'," }],
    valid: false,
  },
];

type Outcome = { readonly dump: string; readonly warnings: string[] } | { readonly errors: string[] };

function outcome(run: () => ReturnType<typeof loadSchema>): Outcome {
  try {
    const { model, warnings } = run();
    return { dump: dumpModel(model, '7.2'), warnings: warnings.map((w) => formatDiagnostic(w)) };
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    return { errors: e.diagnostics.map((d) => formatDiagnostic(d)) };
  }
}

function delta(before: CacheCounts, after: CacheCounts): CacheCounts {
  const d = { ...after };
  for (const k of Object.keys(d) as (keyof CacheCounts)[]) d[k] -= before[k];
  return d;
}

const shared = requireShared('qemu-7.2/qapi', 'the front-end cache test');

describe.skipIf(!shared.available)('the front-end cache, over edits of QEMU 7.2 schema', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'qapi-ts-cache-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(CASES)('$what: as a fresh load, and only the edited files parsed again', ({ what, edits, valid, touched }) => {
    const dir = join(work, what.replace(/[^a-z]+/g, '-'));
    cpSync(shared.path, dir, { recursive: true });
    const root = join(dir, 'qapi-schema.json');
    const cache = new FrontEndCache();
    const first = outcome(() => loadSchema(root, { qemuVersion: '7.2', cache }));
    expect(first).toHaveProperty('dump');

    for (const { file, from, to } of edits) {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      expect(text, `${file} holds the text the case edits`).toContain(from);
      writeFileSync(path, text.replace(from, to));
    }
    const before = { ...cache.counts };
    const cached = outcome(() => loadSchema(root, { qemuVersion: '7.2', cache }));
    const counts = delta(before, cache.counts);
    const fresh = outcome(() => loadSchema(root, { qemuVersion: '7.2' }));

    expect(cached).toEqual(fresh);
    expect('dump' in fresh).toBe(valid);
    const edited = new Set(edits.map((e) => e.file)).size;
    // Reading stops at a syntax error, so a file after it is not read at all.
    expect(counts.parsed).toBe(edited);
    expect(counts.reusedFiles).toBeGreaterThan(valid ? 30 : 0);
    if (edits.length === 0) {
      expect(counts).toMatchObject({ parsed: 0, docsParsed: 0, checked: 0 });
      expect(counts.reusedDefinitions).toBeGreaterThan(500);
    }
    if (valid && edits.length > 0) {
      // The touched definitions are checked again; every other one is
      // kept, the edited file's too.  QEMU's schema starts each definition
      // at the start of a line.
      const inEdited = [...new Set(edits.map((e) => e.file))].reduce(
        (n, file) => n + (readFileSync(join(dir, file), 'utf8').match(/^\{ '(enum|struct|union|alternate|command|event)'/gm) ?? []).length,
        0,
      );
      expect(counts.checked).toBe(touched?.definitions);
      expect(counts.docsParsed).toBe(touched?.docs);
      expect(counts.reusedItems).toBeGreaterThan(inEdited);
      expect(counts.reusedDefinitions).toBeGreaterThan(500);
    }
  });

  it('a load in another language starts afresh', () => {
    const cache = new FrontEndCache();
    const root = join(shared.path, 'qapi-schema.json');
    loadSchema(root, { qemuVersion: '7.2', cache });
    const before = { ...cache.counts };
    const other = outcome(() => loadSchema(root, { qemuVersion: '8.2', cache }));
    expect(delta(before, cache.counts).reusedFiles).toBe(0);
    expect(other).toEqual(outcome(() => loadSchema(root, { qemuVersion: '8.2' })));
  });
});
