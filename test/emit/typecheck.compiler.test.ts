/**
 * The bindings of every release's schema compile under strict settings
 * (plus the stricter options many projects add) with TypeScript 7, and
 * with TypeScript 5 the sets that hold every kind of syntax of the others
 * and the largest, the fleet's span (Case.newestCompilerOnly; a test below
 * shows that they hold every kind), in both targets: TypeScript, and the
 * declarations of the JavaScript target (checked as such, skipLibCheck
 * off but for the compiler's own lib files, with the runtime's
 * declarations they import); and every doc comment in them is TSDoc that
 * parses without a message.  Schemas: the embedded default, QEMU 1.3's
 * (legacy), the whole QMP schemas of QEMU 7.2, 8.2, 10.0 and 10.2, QEMU's
 * own qapi-schema-test.json of 7.2 and 10.2, and a subset of 7.2 (--only);
 * spans of releases: the fleet, the seed's 1.3/7.2/10.2, a 7.2 schema with
 * a 10.0 capture, and the two test schemas.
 * And the type-level behaviour of bindings that span releases:
 * test/fixtures/types/span-usage.ts, beside the bindings of a span of
 * test/fixtures/span/ (a small schema as 8.2 and as 10.2 have it), in both
 * targets: the default view holds for either release, one release's view
 * (at(), isRelease(), a type argument) is exact, and what a view's release
 * lacks does not compile.  And that of the default and golden bindings:
 * test/fixtures/types/usage.ts and standard-schema.ts (TYPE_FIXTURES).
 * Each compiler runs once, every set of bindings of both targets, the
 * span views and the type fixtures in one project (each run costs seconds of start-up, most of
 * it checking the libraries: @types/node, TypeScript's own, the
 * runtime's), with skipLibCheck off: it applies to declaration files
 * only, so the TypeScript target is checked as with it on, and the
 * JavaScript target's declarations, and the runtime's they import, are
 * checked as such.  Each test holds the diagnostics of its own files.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../generator/cli/writer/directory.js';
import { isGeneratedFile } from '../../generator/emit/templates.js';
import type { GeneratedFile } from '../../generator/emit/output/generated-file.js';
import { generateFromModel, type EmitOptions } from '../../generator/emit/pipeline.js';
import { generate } from '../../generator/generate.js';
import type { LoadOptions } from '../../generator/frontend.js';
import { inputReader } from '../helpers/read-once.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';
import { resolveSpan } from '../../generator/input/span.js';
import { syntaxKinds } from '../helpers/syntax-kinds.js';
import { COMPILERS, TSC7, typecheckProject, type RunOutput } from '../helpers/tsc.js';

// @microsoft/tsdoc's ESM build imports without extensions: load its CommonJS one.
const tsdoc = createRequire(import.meta.url)('@microsoft/tsdoc') as typeof import('@microsoft/tsdoc');

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-tsc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly schema: string;
  readonly language: LoadOptions;
  readonly emit?: EmitOptions;
  readonly available: boolean;
  /** Bindings that span releases: each release's schema (or capture),
   *  within ../shared, instead of `schema`. */
  readonly span?: readonly { readonly release: string; readonly path: string }[];
  /** Checked by TypeScript 7 only (docs/development.md, "What the suite
   *  trades"): sets whose every kind of syntax a set TypeScript 5 checks
   *  holds too (a test below says so), so that TypeScript 5 judges each
   *  kind of code the emitter writes, and at scale (the fleet's span, five
   *  whole schemas), and the newest compiler every set. */
  readonly newestCompilerOnly?: boolean;
}

const shared = (name: string, relative: string, language: LoadOptions, emit?: EmitOptions): Case => {
  const check = requireShared(relative, `type-checking ${name} bindings`);
  return { name, schema: check.path, language, ...(emit ? { emit } : {}), available: check.available };
};

const cases: Case[] = [
  { name: 'default', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), language: { legacy: true }, available: true },
  shared('qemu-1.3', 'qemu-1.3/qapi-schema.json', { legacy: true }),
  { ...shared('qemu-7.2', 'qemu-7.2/qapi/qapi-schema.json', { qemuVersion: '7.2' }), newestCompilerOnly: true },
  { ...shared('qemu-8.2', 'qemu-8.2/qapi/qapi-schema.json', { qemuVersion: '8.2' }), newestCompilerOnly: true },
  { ...shared('qemu-10.0', 'qemu-10.0/qapi/qapi-schema.json', { qemuVersion: '10.0' }), newestCompilerOnly: true },
  { ...shared('qemu-10.2', 'qemu-10.2/qapi/qapi-schema.json', { qemuVersion: '10.2' }), newestCompilerOnly: true },
  shared('qapi-schema-test-7.2', 'qemu-7.2/tests/qapi-schema/qapi-schema-test.json', { qemuVersion: '7.2' }),
  shared('qapi-schema-test-10.2', 'qemu-10.2/tests/qapi-schema/qapi-schema-test.json', { qemuVersion: '10.2' }),
  shared('qemu-7.2-only', 'qemu-7.2/qapi/qapi-schema.json', { qemuVersion: '7.2' }, { only: ['block-commit', 'query-block-jobs', 'BLOCK_JOB_COMPLETED'] }),
  // Bindings that span releases: the fleet (every modern schema ../shared
  // holds), the seed's thirteen years, a capture beside a schema, and the
  // test schemas of two releases (every construct the language has).
  spanned('span-fleet', ['7.2', '8.2', '9.2', '10.0', '10.2'].map((r) => [r, `qemu-${r}/qapi/qapi-schema.json`] as const).filter(([, f]) => existsSync(join(SHARED, f)))),
  {
    ...spanned('span-seed', [
      ['1.3', 'qemu-1.3/qapi-schema.json'],
      ['7.2', 'qemu-7.2/qapi/qapi-schema.json'],
      ['10.2', 'qemu-10.2/qapi/qapi-schema.json'],
    ]),
    newestCompilerOnly: true,
  },
  { ...spanned('span-capture', [
    ['7.2', 'qemu-7.2/qapi/qapi-schema.json'],
    ['10.0', 'qemu-10.0/introspection/qemu-storage-daemon.json'],
  ]), newestCompilerOnly: true },
  spanned(
    'span-only-number',
    [
      ['7.2', 'qemu-7.2/qapi/qapi-schema.json'],
      ['10.2', 'qemu-10.2/qapi/qapi-schema.json'],
    ],
    { only: ['block-commit', 'query-named-block-nodes', 'query-block-jobs', 'BLOCK_JOB_COMPLETED'], int64: 'number' },
  ),
  spanned('span-test-schemas', [
    ['7.2', 'qemu-7.2/tests/qapi-schema/qapi-schema-test.json'],
    ['10.2', 'qemu-10.2/tests/qapi-schema/qapi-schema-test.json'],
  ]),
].filter((c) => c.available);

function spanned(name: string, releases: readonly (readonly [string, string])[], emit?: EmitOptions): Case {
  const available = releases.every(([, f]) => requireShared(f, `type-checking ${name} bindings`).available);
  return { name, schema: '', language: {}, available, span: releases.map(([release, f]) => ({ release, path: join(SHARED, f) })), ...(emit ? { emit } : {}) };
}

const TARGETS = [
  { target: 'ts', index: 'index.ts' },
  { target: 'js+dts', index: 'index.d.ts' },
] as const;

const outDir = (target: string, c: Case): string => join(work, target, c.name);

const SMALL_SPAN = {
  '8.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json'),
  '10.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json'),
};
/** The span views' programs: each target's bindings of SMALL_SPAN and span-usage.ts beside them. */
const spanViews = join(work, 'span-views');
const spanViewsDir = (target: string): string => join(spanViews, target.replace('+', '-'));

/** Each schema read once: QEMU 7.2's is in six of the cases (alone,
 *  --only, and four spans), 10.2's in four. */
const readOnce = inputReader();

/** Each case's files in each target (`${target} ${name}`), as written. */
const generated = new Map<string, readonly GeneratedFile[]>();

beforeAll(async () => {
  for (const c of cases) {
    const model = (c.span ? await resolveSpan(c.span, readOnce) : await readOnce({ kind: 'file', path: c.schema, language: c.language })).model;
    for (const { target } of TARGETS) {
      const files = generateFromModel(model, c.schema || c.name, { ...c.emit, target });
      generated.set(`${target} ${c.name}`, files);
      writeOutput(outDir(target, c), files, { owns: isGeneratedFile });
    }
  }
  for (const { target } of TARGETS) {
    writeOutput(join(spanViewsDir(target), 'bindings'), await generate({ releases: SMALL_SPAN, target }), { owns: isGeneratedFile });
    copyFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'types', 'span-usage.ts'), join(spanViewsDir(target), 'usage.ts'));
  }
}, 300_000);

/** The type-level behaviour of the default bindings (generated/) and the
 *  golden ones: expectTypeOf assertions and @ts-expect-error lines (calls
 *  that must not compile, e.g. blockCommit without device or with speed:
 *  'fast'), and of the Standard Schema validators, held to
 *  @standard-schema/spec's declarations. */
const TYPE_FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'types');
const typeFixtureFiles = ['usage.ts', 'standard-schema.ts'].map((f) => join(TYPE_FIXTURES, f));

/** Each compiler's one run over every program, started by the first test that asks. */
const runs = new Map<string, Promise<RunOutput>>();
function checked(tsc: string): Promise<RunOutput> {
  let run = runs.get(tsc);
  if (!run) {
    const checkedCases = tsc === TSC7 ? cases : cases.filter((c) => c.newestCompilerOnly !== true);
    const files = [
      ...TARGETS.flatMap(({ target, index }) => checkedCases.map((c) => join(outDir(target, c), index))),
      ...TARGETS.map(({ target }) => join(spanViewsDir(target), 'usage.ts')),
      ...typeFixtureFiles,
    ];
    runs.set(tsc, (run = typecheckProject(tsc, work, `bindings-${tsc.includes('typescript7') ? 7 : 5}`, files, false)));
  }
  return run;
}

/** The programs of the run that are not bindings, each test holding the diagnostics of its own. */
const PROGRAMS = [spanViews, TYPE_FIXTURES];

/** tsc's diagnostics, each with the lines that follow it, of files under
 *  `dir`, or (null) of files under none of PROGRAMS: the bindings'. */
function diagnostics(output: string, dir: string | null): string[] {
  // tsc names files relative to where it runs (runNode: the repository).
  const prefixOf = (d: string): string => `${relative(PROJECT_ROOT, d)}/`;
  const lines: string[] = [];
  let mine = false;
  for (const line of output.split('\n').filter((l) => l !== '')) {
    // A diagnostic starts with its file and position; the lines after it are its own.
    if (/^\S+\.[cm]?tsx?[(:]\d/.test(line)) mine = dir === null ? !PROGRAMS.some((d) => line.startsWith(prefixOf(d))) : line.startsWith(prefixOf(dir));
    if (mine) lines.push(line);
  }
  return lines;
}

describe.concurrent.each(COMPILERS)('$name, strict', ({ tsc }) => {
  it(`compiles ${tsc === TSC7 ? 'every set of bindings' : 'the sets of bindings holding every kind of syntax, and the fleet\'s'}, both targets`, async () => {
    const r = await checked(tsc);
    expect(diagnostics(r.output, null)).toEqual([]);
    // The exit code says what the output says (no run that failed silently).
    expect(r.code === 0).toBe(r.output === '');
  }, 600_000);

  it(`span views at the type level compile exactly where they should, ${TARGETS.map((t) => t.target).join(' and ')}`, async () => {
    const r = await checked(tsc);
    expect(diagnostics(r.output, spanViews)).toEqual([]);
    expect(r.code === 0).toBe(r.output === '');
  }, 600_000);

  it('the default and golden bindings at the type level compile exactly where they should (test/fixtures/types/usage.ts, standard-schema.ts)', async () => {
    const r = await checked(tsc);
    expect(diagnostics(r.output, TYPE_FIXTURES)).toEqual([]);
    expect(r.code === 0).toBe(r.output === '');
  }, 600_000);
});

describe('the sets TypeScript 7 alone checks', () => {
  // What a compiler checks of each target: the TypeScript target's .ts
  // files, the JavaScript target's declarations.
  const checkedFiles = (target: string, c: Case): readonly GeneratedFile[] =>
    generated.get(`${target} ${c.name}`)!.filter((f) => f.path.endsWith(target === 'ts' ? '.ts' : '.d.ts'));
  it.each(TARGETS)('hold no kind of syntax (a node kind below its parent kind) that the sets TypeScript 5 checks lack, $target', ({ target }) => {
    const judged = new Set<string>();
    for (const c of cases.filter((c) => c.newestCompilerOnly !== true)) for (const k of syntaxKinds(checkedFiles(target, c))) judged.add(k);
    expect(judged.size).toBeGreaterThan(100);
    const missing: Record<string, string[]> = {};
    for (const c of cases.filter((c) => c.newestCompilerOnly === true)) {
      const kinds = syntaxKinds(checkedFiles(target, c));
      // A set parsed, not an empty one passing for any set.
      expect(kinds.size, c.name).toBeGreaterThan(50);
      const lacking = [...kinds].filter((k) => !judged.has(k)).sort();
      if (lacking.length > 0) missing[c.name] = lacking;
    }
    // Each set named with the kinds to give a set TypeScript 5 checks.
    expect(missing).toEqual({});
  });
});

describe('doc comments', () => {
  it.each(cases)('$name: every doc comment is TSDoc without a message', (c) => {
    const configuration = new tsdoc.TSDocConfiguration();
    // QEMU's 'Since:' has no standard TSDoc tag; TypeDoc and others know @since.
    configuration.addTagDefinition(new tsdoc.TSDocTagDefinition({ tagName: '@since', syntaxKind: tsdoc.TSDocTagSyntaxKind.BlockTag }));
    const parser = new tsdoc.TSDocParser(configuration);
    const messages: string[] = [];
    let comments = 0;
    const dir = outDir('ts', c);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
        comments++;
        for (const msg of parser.parseString(m[0]).log.messages) messages.push(`${file}: ${msg.text}`);
      }
    }
    expect(comments).toBeGreaterThan(0);
    expect(messages).toEqual([]);
  });
});
