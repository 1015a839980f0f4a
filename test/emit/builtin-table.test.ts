/**
 * One table of built-in types, one alternate branch chooser: a built-in
 * added to the table (a made-up `int128`, typed `bigint`) is followed by
 * every consumer — the model defines it and its array type, alternates tell
 * it apart by its JSON kind, the emitted types use its TypeScript type, the
 * descriptors and the run-time validator check its range — and a name the
 * table lacks is an error everywhere, never a fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import type { SchemaModel } from '../../generator/model/types.js';
import { TypeRegistry } from '../../runtime/validation.js';
import { BUILTIN_TYPES, builtinType, checkedAs, type BuiltinTypeInfo } from '../../runtime/type-rules.js';
import { loadMemory } from '../helpers/memory-schema.js';

const table = BUILTIN_TYPES as Record<string, BuiltinTypeInfo>;
const INT128: BuiltinTypeInfo = { json: 'int', ts: ['bigint'], range: [-(2n ** 127n), 2n ** 127n - 1n] };

const SCHEMA = `
{ 'struct': 'Wide', 'data': { 'x': 'int128', '*xs': [ 'int128' ] } }
{ 'alternate': 'WideOrFlag', 'data': { 'wide': 'int128', 'flag': 'bool' } }
{ 'command': 'widen', 'data': { 'w': 'Wide', '*alt': 'WideOrFlag' } }
`;

function load(text: string): { model: SchemaModel } | { errors: string[] } {
  const result = loadMemory({ 'main.json': text });
  return result.ok ? { model: result.loaded.model } : { errors: result.errors };
}

function model(text: string): SchemaModel {
  const r = load(text);
  if ('errors' in r) throw new Error(r.errors.join('\n'));
  return r.model;
}

describe('a made-up built-in added to the table', () => {
  beforeAll(() => {
    table.int128 = INT128;
  });
  afterAll(() => {
    delete table.int128;
  });

  it('is defined by the model, with its array type and JSON type', () => {
    const m = model(SCHEMA);
    expect(m.lookupType('int128')).toMatchObject({ kind: 'builtin', jsonType: 'int' });
    expect(m.lookupType('int128List')).toMatchObject({ kind: 'array' });
  });

  it('is told apart from other branches by its JSON kind, as a number', () => {
    const clash = load("{ 'alternate': 'Alike', 'data': { 'wide': 'int128', 'ratio': 'number' } }");
    expect('errors' in clash && clash.errors.join('\n')).toMatch(/branch 'ratio' and the branch 'wide' look alike on the wire/);
  });

  it('has its TypeScript type in the emitted declarations', async () => {
    const files = await generateFromModel(model(SCHEMA), 'main.json', { cacheDir: null, workers: false });
    const text = files.find((f) => f.path === 'main.ts')?.content ?? '';
    const builtins = files.find((f) => f.path === 'builtin.ts')?.content ?? '';
    expect(text).toMatch(/export interface Wide \{\n {2}x: bigint;\n {2}xs\?: bigint\[\];\n\}/);
    expect(text).toMatch(/export type WideOrFlag = bigint \| boolean;/);
    expect(builtins).toContain("['int128', { kind: 'builtin', type: 'int128' }]");
    expect(builtins).toContain("['int128List', { kind: 'array', element: 'int128' }]");
  });

  it('is checked by the run-time validator over its exact range, and chosen as an alternate branch', () => {
    const { types, commands } = buildTables(model(SCHEMA));
    const registry = new TypeRegistry([types], [commands]);
    expect(registry.check('Wide', { x: 2n ** 127n - 1n, xs: [-(2n ** 127n), 5] })).toEqual([]);
    expect(registry.check('Wide', { x: 2n ** 127n })).toEqual([
      `value.x: expected an integer in int128 range ${-(2n ** 127n)}..${2n ** 127n - 1n}, got ${2n ** 127n}`,
    ]);
    expect(registry.check('WideOrFlag', 7n)).toEqual([]);
    expect(registry.check('WideOrFlag', true)).toEqual([]);
    expect(registry.check('WideOrFlag', 0.5)).toEqual(['value: expected an integer, got 0.5']);
    expect(registry.check('WideOrFlag', 'x')).toEqual(['value: expected a number or a boolean, got "x"']);
    expect(registry.checkArguments('widen', { w: { x: 'x' } })).toEqual(['arguments.w.x: expected an integer, got "x"']);
  });
});

describe('a built-in the table lacks', () => {
  it('is not defined by the model', () => {
    const r = load(SCHEMA);
    expect('errors' in r && r.errors.join('\n')).toMatch(/member 'x' refers to the type 'int128', which is not defined/);
  });

  it('is an error for the table lookups, not a fallback', () => {
    expect(() => builtinType('int128')).toThrow("'int128' is not a built-in type");
    expect(() => checkedAs('int128')).toThrow("'int128' is not a built-in type");
    expect(checkedAs('size')).toBe('uint64');
  });

  it('makes a descriptor naming it fail validation instead of accepting anything', () => {
    const registry = new TypeRegistry([[['Odd', { kind: 'builtin', type: 'int128' as 'int64' }]]], []);
    expect(registry.check('Odd', 1)).toEqual(["value: unknown built-in type 'int128'"]);
  });
});
