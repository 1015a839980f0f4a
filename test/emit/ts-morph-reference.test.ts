/**
 * The generator prints TypeScript itself (generator/emit/output/), for
 * speed.  These tests hold that printer to the conventional toolchain,
 * ts-morph and prettier, and hold the `js+dts` target to the TypeScript
 * compiler:
 * - the same statements, built as ts-morph structures, printed by ts-morph
 *   and formatted by prettier, give exactly the `ts` target's text;
 * - the `js+dts` target is, token for token, what TypeScript emits from the
 *   `ts` target (JavaScript and declarations), comments and trailing commas
 *   aside;
 * - and a plain `generate` loads none of these tools: they are the
 *   reference, not the path users pay for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { printFile } from '../../generator/emit/output/print-file.js';
import { emitBindings, type EmitOptions } from '../../generator/emit/pipeline.js';
import { loadSchema } from '../../generator/frontend.js';
import { generate } from '../../generator/generate.js';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { emitWithTsMorph } from '../helpers/ts-morph-emitter.js';

const fixture = (name: string): string => join(PROJECT_ROOT, 'test', 'fixtures', name, 'schema.json');
const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'ts-morph reference over QEMU 7.2 bindings');
const Q102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'ts-morph reference over QEMU 10.2 bindings');

interface Case {
  readonly name: string;
  readonly schema: string;
  readonly legacy?: boolean;
  readonly qemuVersion?: string;
  readonly options?: EmitOptions;
  readonly available: boolean;
}

const cases: Case[] = [
  { name: 'the default schema', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true, available: true },
  { name: 'the golden schema', schema: fixture('golden'), qemuVersion: '7.2', available: true },
  { name: 'the golden schema, --int64 mixed', schema: fixture('golden'), qemuVersion: '7.2', options: { int64: 'mixed' }, available: true },
  { name: 'the legacy golden schema', schema: fixture('golden-legacy'), legacy: true, available: true },
  { name: 'the doc-comment golden schema', schema: fixture('golden-docs'), qemuVersion: '10.2', available: true },
  { name: 'QEMU 7.2', schema: Q72.path, qemuVersion: '7.2', available: Q72.available },
  { name: 'QEMU 10.2', schema: Q102.path, qemuVersion: '10.2', available: Q102.available },
];

describe.each(cases)('$name', (c) => {
  it.skipIf(!c.available)('ts-morph and prettier print what the printer prints', async () => {
    const { model } = loadSchema(c.schema, { legacy: c.legacy, qemuVersion: c.qemuVersion });
    const { files } = emitBindings(model, c.options);
    expect(files.length).toBeGreaterThan(3);
    const project = new Project({ useInMemoryFileSystem: true });
    for (const file of files) expect(printFile(file, 'ts'), file.stem).toBe(await emitWithTsMorph(file, project));
  }, 120_000);

  it.skipIf(!c.available)("the js+dts target is TypeScript's emit of the ts target", async () => {
    const common = { schema: c.schema, legacy: c.legacy, qemuVersion: c.qemuVersion, ...c.options };
    const tsFiles = await generate({ ...common, target: 'ts' });
    const jsFiles = new Map((await generate({ ...common, target: 'js+dts' })).map((f) => [f.path, f.content]));
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
    const paths = emitted.map((o) => o.filePath.slice('/out/'.length)).sort();
    expect(paths).toEqual([...jsFiles.keys()].sort());
    for (const o of emitted) {
      const path = o.filePath.slice('/out/'.length);
      expect(code(jsFiles.get(path) ?? '', path), path).toEqual(code(o.text, path));
    }
  }, 120_000);
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
