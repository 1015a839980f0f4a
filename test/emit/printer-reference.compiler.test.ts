/**
 * The generator prints TypeScript itself (generator/emit/output/), for
 * speed.  These tests hold that printer to the conventional toolchain,
 * prettier and the TypeScript compiler, over whole outputs (the default
 * schema, the golden fixtures, a slice of QEMU 7.2's schema, a span of two
 * releases), with no second printer to keep beside it:
 * - prettier, with the project's fixed options and the parser it picks for
 *   each file, leaves every output file as it is (a fixed point), in both
 *   targets: the layout is one prettier keeps (test/emit/prettier-shape
 *   shows, on random statements, that it is the one prettier chooses);
 * - the `js+dts` target is, token for token, what TypeScript emits from the
 *   `ts` target (JavaScript and declarations), comments and trailing commas
 *   aside;
 * - and a plain `generate` loads none of these tools: they are the
 *   reference, not the path users pay for.
 * Each of these is generic: a new kind of statement is held to prettier and
 * TypeScript without a line written here.  The larger outputs (QEMU 7.2's
 * and 10.2's whole schemas, the span of 1.3, 7.2 and 10.2) are not
 * formatted here, which would take the file several times as long: instead every kind of syntax
 * they hold, as a node kind below its parent's, must occur in the outputs
 * that are, so they print nothing the references have not judged
 * (docs/development.md, "What the suite trades").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { Project, ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '../../generator/emit/output/generated-file.js';
import { PRETTIER_OPTIONS } from '../../generator/emit/output/print-file.js';
import type { EmitOptions } from '../../generator/emit/pipeline.js';
import { DEFAULT_BACKEND } from '../../generator/backends/built-in.js';
import { findBackend } from '../../generator/backends/index.js';
import { generateFrom } from '../../generator/generate.js';
import { resolveSpan } from '../../generator/input/span.js';
import { completeSettings } from '../../generator/settings/table.js';
import { CLI_ENTRY } from '../helpers/cli.js';
import { inputReader } from '../helpers/read-once.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { syntaxKinds } from '../helpers/syntax-kinds.js';

const fixture = (name: string): string => join(PROJECT_ROOT, 'test', 'fixtures', name, 'schema.json');
const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'printer reference over QEMU 7.2 bindings');
const Q102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'printer reference over QEMU 10.2 bindings');
const Q13 = requireShared('qemu-1.3/qapi-schema.json', 'printer reference over spanned bindings');
const spanFixture = (name: string): string => join(PROJECT_ROOT, 'test', 'fixtures', 'span', name, 'qapi-schema.json');

const { parser: _typescript, ...OPTIONS } = PRETTIER_OPTIONS;

/** prettier over a file, with the parser it picks for the file's name. */
const format = (f: GeneratedFile): Promise<string> => prettier.format(f.content, { ...OPTIONS, filepath: f.path });

interface Case {
  readonly name: string;
  readonly schema?: string;
  /** A span of releases instead of one schema. */
  readonly releases?: Readonly<Record<string, string>>;
  readonly legacy?: boolean;
  readonly qemuVersion?: string;
  readonly options?: EmitOptions;
  readonly available: boolean;
}

/** What of QEMU 7.2 is formatted: commands and events whose types reach
 *  every kind of syntax the whole schema's bindings hold (the larger
 *  outputs' check below says which, should one be missing). */
const QEMU_72_SLICE = ['block-commit', 'query-block-jobs', 'BLOCK_JOB_COMPLETED', 'query-qmp-schema', 'object-add', 'qom-get', 'query-named-block-nodes', 'query-stats'];

const cases: Case[] = [
  { name: 'the default schema', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true, available: true },
  { name: 'the golden schema', schema: fixture('golden'), qemuVersion: '7.2', available: true },
  { name: 'the golden schema, --int64 mixed', schema: fixture('golden'), qemuVersion: '7.2', options: { int64: 'mixed' }, available: true },
  { name: 'the legacy golden schema', schema: fixture('golden-legacy'), legacy: true, available: true },
  { name: 'the doc-comment golden schema', schema: fixture('golden-docs'), qemuVersion: '10.2', available: true },
  {
    name: 'a slice of QEMU 7.2 (--only)',
    schema: Q72.path,
    qemuVersion: '7.2',
    options: { only: [...QEMU_72_SLICE] },
    available: Q72.available,
  },
  // Bindings that span releases: type parameters, ReleaseMembers groups, gated methods.
  { name: 'a span of two releases of a small schema', releases: { '8.2': spanFixture('older'), '10.2': spanFixture('newer') }, available: true },
];

/** Outputs held to the references through their kinds of syntax alone (above). */
const larger: Case[] = [
  { name: 'QEMU 7.2', schema: Q72.path, qemuVersion: '7.2', available: Q72.available },
  { name: 'QEMU 10.2', schema: Q102.path, qemuVersion: '10.2', available: Q102.available },
  {
    name: 'the span of QEMU 1.3, 7.2 and 10.2',
    releases: { '1.3': Q13.path, '7.2': Q72.path, '10.2': Q102.path },
    available: Q13.available && Q72.available && Q102.available,
  },
];

/** Each schema read once, for every case and span that has it (as a
 *  `file`, as a span reads each release). */
const readOnce = inputReader();

/** A case's output in a target, generated once for every check of the
 *  file, as generate() makes it (its input read once for both targets). */
const outputs = new Map<string, Promise<readonly GeneratedFile[]>>();
function output(c: Case, target: 'ts' | 'js+dts'): Promise<readonly GeneratedFile[]> {
  const key = `${c.name} ${target}`;
  let files = outputs.get(key);
  if (!files) {
    const input = c.releases
      ? resolveSpan(Object.entries(c.releases).map(([release, path]) => ({ release, path })), readOnce)
      : readOnce({ kind: 'file', path: c.schema!, language: { legacy: c.legacy, qemuVersion: c.qemuVersion } });
    files = input.then((i) => generateFrom(i, findBackend(DEFAULT_BACKEND), completeSettings({ ...c.options, target })).files);
    outputs.set(key, files);
  }
  return files;
}

describe.each(cases)('$name', (c) => {
  // Both targets, generated once for the three checks.
  let tsFiles: readonly GeneratedFile[] = [];
  let jsFiles: readonly GeneratedFile[] = [];
  beforeAll(async () => {
    if (!c.available) return;
    tsFiles = await output(c, 'ts');
    jsFiles = await output(c, 'js+dts');
  }, 120_000);

  it.skipIf(!c.available).each(['ts', 'js+dts'] as const)('prettier leaves the %s output as it is', async (target) => {
    const files = target === 'ts' ? tsFiles : jsFiles;
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(await format(f), f.path).toBe(f.content);
  }, 120_000);

  it.skipIf(!c.available)("the js+dts target is TypeScript's emit of the ts target", () => {
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: {
        declaration: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ES2022,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        strict: true,
        noLib: true,
        rootDir: '/src',
        outDir: '/out',
      },
    });
    for (const f of tsFiles) project.createSourceFile(`/src/${f.path}`, f.content);
    const emitted = project.emitToMemory().getFiles();
    const ours = new Map(jsFiles.map((f) => [f.path, f.content]));
    const paths = emitted.map((o) => o.filePath.slice('/out/'.length)).sort();
    expect(paths).toEqual([...ours.keys()].sort());
    for (const o of emitted) {
      const path = o.filePath.slice('/out/'.length);
      expect(code(ours.get(path) ?? '', path), path).toEqual(code(o.text, path));
    }
  }, 120_000);
});

describe('the larger outputs', () => {
  it.skipIf(larger.some((c) => !c.available) || cases.some((c) => !c.available))(
    'hold no kind of syntax (a node kind below its parent kind) that the outputs held to the references lack',
    async () => {
      const judged = new Set<string>();
      for (const c of cases) for (const k of syntaxKinds(await output(c, 'ts'))) judged.add(k);
      for (const c of larger) {
        const kinds = syntaxKinds(await output(c, 'ts'));
        expect(kinds.size, c.name).toBeGreaterThan(100);
        expect([...kinds].filter((k) => !judged.has(k)), `${c.name}: add a fixture holding these to the cases above`).toEqual([]);
      }
    },
    120_000,
  );
});

/**
 * A module's code for comparison: its tokens (below), with imports as
 * sorted `name from module` entries.  In declarations an import's `type`
 * marker is dropped: TypeScript keeps a class imported as a value where
 * qapi-ts imports it as a type, and in a .d.ts the two mean the same.
 */
function code(text: string, path: string): string[] {
  const all = tokens(text, path);
  const imports: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < all.length; i++) {
    if (all[i] !== 'import') {
      rest.push(all[i]!);
      continue;
    }
    const end = all.indexOf(';', i);
    const statement = all.slice(i + 1, end);
    const from = statement.at(-1)!;
    const typeOnly = statement[0] === 'type';
    const names = statement.slice(statement.indexOf('{') + 1, statement.indexOf('}')).filter((t) => t !== ',');
    for (const name of names) imports.push(`${typeOnly && !path.endsWith('.d.ts') ? 'type ' : ''}${name} from ${from}`);
    i = end;
  }
  return [...imports.sort(), ...rest];
}

const CLOSING = new Set(['}', ']', ')', '>']);
const OPENING = new Set(['=', '(', '<', '[', ',', ':']);

/** The tokens of a module without what is layout rather than code:
 *  whitespace, comments, a separator before a closing bracket, and the
 *  `|` (or `&`) a type may begin with. */
function tokens(text: string, path: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Unknown) throw new Error(`${path}: cannot scan at ${scanner.getTokenStart()}`);
    const text = scanner.getTokenText();
    if (CLOSING.has(text) && (out.at(-1) === ',' || out.at(-1) === ';')) out.pop();
    if ((text === '|' || text === '&') && OPENING.has(out.at(-1) ?? '')) continue;
    // String literals by value: the two printers may pick other quotes.
    out.push(kind === ts.SyntaxKind.StringLiteral ? JSON.stringify(scanner.getTokenValue()) : text);
  }
  return out;
}

describe('a plain generate', () => {
  const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-reference-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // A module hook that refuses to load the reference tools: a run that
  // needs them fails.
  const refuse = `data:text/javascript,${encodeURIComponent(`
    const banned = /[\\\\/]node_modules[\\\\/](prettier|ts-morph|@ts-morph|typescript)[\\\\/]/;
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (banned.test(r.url)) throw new Error('refused to load ' + r.url);
      return r;
    }`)}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(refuse)});`)}`;
  const run = (args: readonly string[]) =>
    spawnSync(process.execPath, ['--import', register, CLI_ENTRY, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });

  it('loads neither ts-morph, TypeScript nor prettier', () => {
    const r = run(['generate', '--legacy', '-o', join(work, 'plain')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(work, 'plain', 'client.d.ts'), 'utf8')).toContain('QmpCommands');
  });

  it('while --format, which runs prettier, is refused under the same hook', () => {
    const r = run(['generate', '--legacy', '--format', '-o', join(work, 'formatted')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('prettier');
  });
});
