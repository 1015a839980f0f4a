/**
 * Generated code is printed in prettier's shape without running prettier
 * (generator/emit/output/layout-*.ts).  Whole outputs are held to prettier
 * as a fixed point (test/emit/printer-reference.compiler.test.ts); here,
 * for random statements (long names, nested types, quotes, every statement
 * kind), the printed text is what prettier makes of the same code written
 * on as few lines as possible: so the layout is prettier's own choice, not
 * just one it tolerates.  And `--format` gives exactly what prettier gives
 * with the user's own configuration.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import type { Target } from '../../generator/emit/output/layout-code.js';
import { PRETTIER_OPTIONS, printFile } from '../../generator/emit/output/print-file.js';
import type { Argument, DocNode, Expr, FileSyntax, Parameter, Statement } from '../../generator/emit/syntax/statements.js';
import { ty, type PropertySignature, type TypeNode } from '../../generator/emit/syntax/type-syntax.js';
import { generate } from '../../generator/generate.js';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const { parser: _typescript, ...OPTIONS } = PRETTIER_OPTIONS;

/** prettier over a file, with the parser it picks for the file's name. */
const format = (text: string, path: string, extra: prettier.Options = {}): Promise<string> =>
  prettier.format(text, { ...OPTIONS, ...extra, filepath: path });

// Random statements of every kind generated code has.
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,5}$/);
/** Identifiers of every length, up to longer than a line. */
const ident = fc.oneof(
  word.map((w) => `N${w}`),
  fc.tuple(word, fc.integer({ min: 10, max: 130 })).map(([w, n]) => `N${w}${'x'.repeat(n)}`),
);
/** Wire names: anything, quoted where not an identifier. */
const key = fc.oneof(ident, fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('io-status', "it's", 'say "hi"', 'ünïcode', 'a\nb', '123'));
const text = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom("it's", '\'"\'', 'tab\there', '€ and 😀', 'x'.repeat(130)));

const typeNode: fc.Arbitrary<TypeNode> = fc.letrec<{ type: TypeNode }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...(['string', 'number', 'bigint', 'boolean', 'null', 'unknown', 'undefined', 'void', 'never'] as const)).map(ty.keyword),
    fc.oneof(text, fc.boolean()).map(ty.literal),
    fc.tuple(ident, fc.array(tie('type'), { maxLength: 3 })).map(([n, args]) => ty.ref(n, ...args)),
    fc.tuple(tie('type'), fc.boolean()).map(([t, ro]) => ty.array(t, ro)),
    fc.array(tie('type'), { minLength: 2, maxLength: 6 }).map(ty.union),
    fc.array(tie('type'), { minLength: 2, maxLength: 4 }).map(ty.intersection),
    fc.array(fc.tuple(key, tie('type'), fc.boolean()), { maxLength: 4 }).map((ms) => ty.object(ms.map(([k, t, o]) => ty.property(k, t, o)))),
    fc.tuple(tie('type'), tie('type')).map(([o, i]) => ty.indexed(o, i)),
    tie('type').map(ty.keyof),
    fc.tuple(ident, tie('type'), tie('type')).map(([p, c, t]) => ty.mapped(p, c, t)),
  ),
})).type;

const docs: fc.Arbitrary<readonly DocNode[]> = fc.oneof(
  fc.constant([]),
  fc
    .tuple(fc.stringMatching(/^[a-z ]{1,30}(\n[a-z ]{0,30}){0,3}$/), fc.array(fc.tuple(fc.constantFrom('param', 'since', 'example'), fc.stringMatching(/^\n?[a-z ]{0,30}$/)), { maxLength: 2 }))
    .map(([description, tags]) => [{ description: description.trim() || 'text', tags: tags.map(([tagName, t]) => ({ tagName, text: t })) }]),
);

const argument: fc.Arbitrary<Argument> = fc.oneof(
  fc.oneof(text, fc.boolean(), fc.constant(null)).map((value) => ({ kind: 'literal' as const, value })),
  ident.map((name) => ({ kind: 'identifier' as const, name })),
  ident.map((name) => ({ kind: 'property' as const, object: { kind: 'identifier' as const, name: 'this' }, name })),
);

/** Object keys of generated code: names, not numbers (a JavaScript parser unquotes '1'). */
const objectKey = fc.oneof(ident, fc.constantFrom('io-status', 'kind', 'noReply', "it's"));

const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    argument,
    ident.map((name) => ({ kind: 'thunk' as const, name })),
    fc.array(tie('expr'), { maxLength: 5 }).map((elements) => ({ kind: 'array' as const, elements })),
    fc.array(fc.tuple(objectKey, tie('expr')), { maxLength: 5 }).map((ps) => ({ kind: 'object' as const, properties: ps.map(([k, value]) => ({ key: k, value })) })),
    fc.tuple(ident, fc.array(typeNode, { maxLength: 2 }), fc.array(argument, { maxLength: 3 })).map(([callee, typeArgs, args]) => ({ kind: 'new' as const, callee, typeArgs, args, pure: true })),
  ),
})).expr;

const parameter: fc.Arbitrary<Parameter> = fc.record({ name: ident, type: typeNode, optional: fc.boolean() });
const body = fc.tuple(ident, fc.array(argument, { maxLength: 4 }), typeNode).map(([fn, args, type]) => [
  { kind: 'return' as const, value: { kind: 'as' as const, expr: { kind: 'call' as const, callee: fn, args }, type } },
]);
const method = fc.record({ name: ident, docs, parameters: fc.array(parameter, { maxLength: 4 }), returnType: typeNode, body });
const property: fc.Arbitrary<PropertySignature> = fc.record({ name: key, type: typeNode, optional: fc.boolean(), docs });

const statement: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({ kind: fc.constant('interface' as const), name: ident, docs, extends: fc.array(ident.map((n) => ty.ref(n)), { maxLength: 3 }), properties: fc.array(property, { maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('type' as const),
    name: ident,
    docs,
    typeParameters: fc.array(fc.record({ name: ident, constraint: typeNode }), { maxLength: 2 }),
    type: typeNode,
  }),
  fc.record({ kind: fc.constant('const' as const), name: ident, docs, type: typeNode, value: expr.filter((e) => e.kind !== 'thunk') }),
  method.map((m) => ({ kind: 'function' as const, ...m })),
  fc.record({
    kind: fc.constant('class' as const),
    name: ident,
    docs,
    extends: fc.record({ name: ident, args: fc.array(typeNode, { maxLength: 2 }) }),
    ctor: fc.record({ parameters: fc.array(parameter, { maxLength: 2 }), body: fc.constant([{ kind: 'expression' as const, value: { kind: 'call' as const, callee: 'super', args: [] } }]) }),
    methods: fc.array(method, { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('export-from' as const), from: fc.constantFrom('./x.js', 'some-package/runtime'), names: fc.array(ident, { minLength: 1, maxLength: 12 }), typeOnly: fc.boolean() }),
);

const file: fc.Arbitrary<FileSyntax> = fc
  .tuple(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(ident, fc.constantFrom('./other.js', 'qapi-ts-runtime')), { maxLength: 10 }))
  .map(([statements, imports]) => ({ stem: 'random', module: null, imports: imports.map(([name, from]) => ({ name, from })), statements }));

const PATHS: Record<Target, string> = { ts: 'random.ts', js: 'random.js', dts: 'random.d.ts' };

/** A fixed seed: the runs are regression runs of the same inputs. */
const SEED = 20260221;
/** The files formatted per target (250 before: docs/development.md, "What
 *  the suite trades"); the test below shows they reach every kind of
 *  syntax the arbitrary makes. */
const RUNS = 130;

/** The kinds of syntax a file is made of: every node's `kind` below its
 *  parent's (a keyword type by its keyword), and whether a name or text
 *  is longer than a line. */
function syntaxOf(value: unknown, parent = '', into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.length > PRETTIER_OPTIONS.printWidth) into.add(`${parent} > a string longer than a line`);
  } else if (Array.isArray(value)) {
    for (const v of value) syntaxOf(v, parent, into);
  } else if (typeof value === 'object' && value !== null) {
    const kind = (value as { kind?: unknown }).kind;
    const here = typeof kind === 'string' ? (kind === 'keyword' ? `keyword ${String((value as { keyword?: unknown }).keyword)}` : kind) : parent;
    if (here !== parent) into.add(`${parent} > ${here}`);
    for (const v of Object.values(value)) syntaxOf(v, here, into);
  }
  return into;
}

describe('random statements', () => {
  it.each(['ts', 'js', 'dts'] as const)('print as prettier lays out the same code (%s)', async (target) => {
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        // Not also prettier over `printed`: prettier itself is not a fixed
        // point for every shape (an object type it breaks in a return type
        // makes it group a lone parameter the next time), though it is for
        // the shapes the emitters make (the tests above).
        expect(await format(printFile(f, target, Number.POSITIVE_INFINITY), PATHS[target])).toBe(printFile(f, target));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it(`reach in ${RUNS} files every kind of syntax (a node kind below its parent's) the arbitrary makes in ten times as many`, () => {
    // fast-check samples, with the same seed, the very files the runs above format.
    const reached = new Set<string>();
    for (const f of fc.sample(file, { numRuns: RUNS, seed: SEED })) syntaxOf(f, '', reached);
    const made = new Set<string>();
    for (const f of fc.sample(file, { numRuns: 10 * RUNS, seed: SEED + 1 })) syntaxOf(f, '', made);
    expect(made.size).toBeGreaterThan(100);
    expect([...made].filter((k) => !reached.has(k)).sort()).toEqual([]);
  });
});

describe('--format', () => {
  const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-format-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("gives what prettier gives with the user's configuration", async () => {
    // The user's style: another width, double quotes, no semicolons.
    const config = { printWidth: 80, singleQuote: false, semi: false, trailingComma: 'es5' as const };
    writeFileSync(join(work, '.prettierrc.json'), JSON.stringify(config));
    const out = join(work, 'out');
    const r = await runInProcess(['generate', '--legacy', '--format', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plain = await generate({ schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true });
    for (const f of plain) {
      const written = readFileSync(join(out, f.path), 'utf8');
      expect(written, f.path).toBe(await prettier.format(f.content, { ...config, filepath: join(out, f.path) }));
      if (f.path === 'client.d.ts') expect(written).not.toBe(f.content);
    }
  });
});
