/**
 * The type syntax tree and its printer: one place decides brackets, array
 * syntax and quoting, whatever the emitters nest (printed here on one line,
 * as wide as it takes).
 */
import { describe, expect, it } from 'vitest';
import { printDoc } from '../../generator/emit/output/doc.js';
import { statementDoc } from '../../generator/emit/output/layout-code.js';
import { typeDoc } from '../../generator/emit/output/layout-types.js';
import { ex, type Expr } from '../../generator/emit/syntax/statements.js';
import { ty, type TypeNode } from '../../generator/emit/syntax/type-syntax.js';

const printType = (t: TypeNode): string => printDoc(typeDoc(t, 'annotation'), Number.POSITIVE_INFINITY);

/** An expression, as the value of a constant. */
function printExpr(value: Expr): string {
  const doc = statementDoc({ kind: 'const', name: 'x', docs: [], type: ty.keyword('unknown'), value }, 'js');
  return printDoc(doc ?? '', Number.POSITIVE_INFINITY).replace(/^export const x = /, '').replace(/;$/, '');
}

const num = ty.keyword('number');
const big = ty.keyword('bigint');
const wide = ty.union([num, big]);

const cases: [string, TypeNode, string][] = [
  ['a keyword', num, 'number'],
  ['an array of a name', ty.array(ty.ref('Foo')), 'Foo[]'],
  ['an array of a union', ty.array(wide), '(number | bigint)[]'],
  ['an array of an array of a union', ty.array(ty.array(wide)), '(number | bigint)[][]'],
  ['a readonly array', ty.array(ty.ref('Level'), true), 'readonly Level[]'],
  ['an array of an intersection', ty.array(ty.intersection([ty.ref('A'), ty.ref('B')])), '(A & B)[]'],
  ['a union of unions, flattened', ty.union([wide, ty.union([ty.keyword('string')])]), 'number | bigint | string'],
  ['a union of one', ty.union([num]), 'number'],
  ['a union of none', ty.union([]), 'never'],
  ['an intersection of one', ty.intersection([ty.ref('A')]), 'A'],
  ['intersections inside a union', ty.union([ty.intersection([ty.ref('A'), ty.ref('B')]), ty.ref('C')]), '(A & B) | C'],
  ['a union inside an intersection', ty.intersection([ty.ref('A'), wide]), 'A & (number | bigint)'],
  ['string literals, quoted', ty.union([ty.literal("it's"), ty.literal('a\nb')]), `"it's" | 'a\\nb'`],
  ['a boolean literal', ty.literal(false), 'false'],
  [
    'an object type, keys quoted where needed',
    ty.object([ty.property('type', ty.literal('disk')), ty.property('io-status', wide, true)]),
    "{ type: 'disk'; 'io-status'?: number | bigint }",
  ],
  ['generic arguments', ty.ref('Record', ty.keyword('string'), ty.keyword('never')), 'Record<string, never>'],
  ['keyof', ty.keyof(ty.ref('Commands')), 'keyof Commands'],
  ['indexed access', ty.indexed(ty.indexed(ty.ref('Commands'), ty.ref('K')), ty.literal('args')), "Commands[K]['args']"],
  ['indexed access of a union', ty.indexed(ty.union([ty.ref('A'), ty.ref('B')]), ty.literal('x')), "(A | B)['x']"],
  ['a mapped type', ty.mapped('K', ty.keyof(ty.ref('E')), ty.indexed(ty.ref('E'), ty.ref('K'))), '{ [K in keyof E]: E[K] }'],
];

describe('printType', () => {
  it.each(cases)('%s', (_what, node, text) => {
    expect(printType(node)).toBe(text);
  });
});

describe('printExpr', () => {
  it.each([
    ['data with identifiers', ex.data([['Level', { kind: 'enum', values: ['x'] }]], (v) => (Array.isArray(v) && v[0] === 'x' ? ex.id('Level') : undefined)), "[['Level', { kind: 'enum', values: Level }]]"],
    ['a quoted key', ex.data({ 'no-reply': true, v: null }), "{ 'no-reply': true, v: null }"],
    ['a call', ex.call('blockCommit', ex.prop(ex.id('this'), 'transport'), ex.literal('q'), ex.id('undefined')), "blockCommit(this.transport, 'q', undefined)"],
    ['a reference for later', ex.array([ex.literal('m'), ex.thunk('Level$')]), "['m', () => Level$]"],
    ['new, free of side effects', ex.newPure('TypeRegistry', [ty.ref('T')], ex.id('a')), '/*@__PURE__*/ new TypeRegistry(a)'],
  ])('%s', (_what, node, text) => {
    expect(printExpr(node)).toBe(text);
  });

  it('refuses values JSON cannot hold, and numbers other than whole, non-negative, exact ones (sets of releases)', () => {
    expect(() => ex.data({ f: () => 1 })).toThrow('cannot write function as a literal');
    expect(ex.data({ n: 6 })).toEqual(ex.object([{ key: 'n', value: ex.literal(6) }]));
    for (const n of [1.5, -1, 2 ** 60, Number.NaN]) expect(() => ex.data({ n })).toThrow('cannot write number as a literal');
  });
});
