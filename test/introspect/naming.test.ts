/**
 * Names for introspected types: derived from the first use (breadth first
 * from the commands and events, in reported order), or borrowed from a
 * source schema with --names-from.  Inline arguments stay the model's
 * implicit types, exactly as from a schema file.
 */
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import { modelFromIntrospection, readCapture } from '../../generator/introspect/index.js';
import { dumpModel } from '../../generator/dump/dump.js';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { TypeRegistry } from 'qapi-ts-runtime';
import type { Entity, SchemaModel } from '../../generator/model/types.js';
import { requireShared } from '../helpers/shared.js';
import { memoryReader } from '../helpers/memory-schema.js';
import { alternate, array, command, enumType, event, modelOf, object } from './helpers/capture.js';

/** name → kind of every type the model defines outside the built-in module. */
function declared(model: SchemaModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of model.entities) {
    if (e.module === './builtin' || e.kind === 'command' || e.kind === 'event' || e.kind === 'include' || e.kind === 'array') continue;
    out[e.name] = e.kind === 'object' ? (e.implicit ? 'implicit' : e.meta) : e.kind;
  }
  return out;
}

describe.each([
  {
    given: "a command's arguments used nowhere else",
    entries: [command('block-commit', '1'), object('1', [['device', 'str'], ['on-error', '2', true]]), enumType('2', ['report', 'stop'])],
    want: { 'q_obj_block-commit-arg': 'implicit', BlockCommitArgumentsOnError: 'enum' },
  },
  {
    given: 'a return value, and a returned list',
    entries: [command('query-status', '0', '1'), command('query-block', '0', '[2]'), object('1', [['running', 'bool']]), object('2', [['device', 'str']]), array('2')],
    want: { QueryStatusReturn: 'struct', QueryBlockReturnElement: 'struct' },
  },
  {
    given: "an event's data, and data two events share",
    entries: [event('STOP', '1'), event('SHUTDOWN', '2'), event('RESET', '2'), object('1', [['a', 'str']]), object('2', [['guest', 'bool']])],
    want: { q_obj_STOP_arg: undefined, 'q_obj_STOP-arg': 'implicit', ShutdownData: 'struct' },
  },
  {
    given: 'members, list members, a union with its tag and variants, an alternate',
    entries: [
      command('blockdev-add', '1'),
      object('1', [['driver', '2'], ['node-name', 'str', true]], { tag: 'driver', variants: [{ case: 'file', type: '3' }, { case: 'null-co', type: '0' }] }),
      enumType('2', ['file', 'null-co']),
      object('3', [['filename', 'str'], ['locking', '4', true], ['cache', '[5]', true]]),
      alternate('4', ['bool', '6']),
      enumType('6', ['auto']),
      object('5', [['direct', 'bool']]),
      array('5'),
    ],
    want: {
      BlockdevAddArguments: 'union',
      'q_obj_BlockdevAddArguments-base': 'implicit',
      BlockdevAddArgumentsDriver: 'enum',
      BlockdevAddArgumentsFile: 'struct',
      BlockdevAddArgumentsFileLocking: 'alternate',
      BlockdevAddArgumentsFileLockingEnum: 'enum',
      BlockdevAddArgumentsFileCache: 'struct',
    },
  },
  {
    given: 'a type used deep in one command and directly in a later one',
    entries: [command('a', '1'), command('b', '0', '3'), object('1', [['x', '2']]), object('2', [['y', '3']]), object('3', [['z', 'str']])],
    want: { AArgumentsX: 'struct', BReturn: 'struct' },
  },
  {
    given: 'two uses that suggest the same name, and one ending in List',
    entries: [
      command('a', '1'),
      command('a-arguments-x', '0', '3'),
      object('1', [['x-return', '2'], ['drive-list', '4']]),
      object('2', [['y', 'str']]),
      object('3', [['z', 'str']]),
      object('4', [['w', 'str']]),
    ],
    want: { AArgumentsXReturn: 'struct', AArgumentsXReturn_2: 'struct', AArgumentsDriveListType: 'struct' },
  },
  {
    given: 'an empty object as a member type (not as a variant)',
    entries: [command('transaction', '1'), object('1', [['abort', '5', true]]), object('5', [])],
    want: { TransactionArgumentsAbort: 'struct' },
  },
])('derived names: $given', ({ entries, want }) => {
  it('names each type after its first use', () => {
    const got = declared(modelOf(entries));
    for (const [name, kind] of Object.entries(want)) expect(got[name], `${name} in ${JSON.stringify(got)}`).toBe(kind);
  });
});

describe('what introspection does not say', () => {
  it('a union as arguments is boxed; a command returning a built-in is allowed', () => {
    const model = modelOf([
      command('blockdev-add', '1'),
      command('query-x', '0', 'int'),
      object('1', [['driver', '2']], { tag: 'driver', variants: [{ case: 'a', type: '0' }] }),
      enumType('2', ['a']),
    ]);
    const add = model.lookupEntity('blockdev-add');
    expect(add?.kind === 'command' && [add.boxed, add.argType?.name]).toEqual([true, 'BlockdevAddArguments']);
    const q = model.lookupEntity('query-x');
    expect(q?.kind === 'command' && q.retType?.name).toBe('int (any width)');
  });

  it('an integer of unknown width takes every 64-bit integer value, and nothing beyond', () => {
    // Introspection folds int8 … uint64 and size into 'int': the validator
    // cannot tell a uint64 from an int64, so it must accept what either holds.
    const model = modelOf([command('set-limit', '1'), object('1', [['limit', 'int']])]);
    const tables = buildTables(model);
    const registry = new TypeRegistry([tables.types], [tables.commands], { int64: 'bigint' });
    const check = (limit: bigint): string[] => registry.checkArguments('set-limit', { limit });
    expect(check(2n ** 64n - 1n)).toEqual([]);
    expect(check(-(2n ** 63n))).toEqual([]);
    expect(check(2n ** 64n)).toHaveLength(1);
    expect(check(-(2n ** 63n) - 1n)).toHaveLength(1);
  });

  it('every type and command says in its documentation that it came from introspection', () => {
    const m = modelOf([command('query-status', '0', '1'), object('1', [['running', 'bool']])]);
    expect(m.lookupEntity('QueryStatusReturn')?.doc?.comment.body).toMatch(/^Reported by QEMU through query-qmp-schema, where type names are numbers; named after its first use: the return value of @query-status\.$/);
    expect(m.lookupEntity('query-status')?.doc?.comment.body).toBe('Reported by QEMU through query-qmp-schema.');
  });
});

describe('names borrowed from a source schema (--names-from)', () => {
  const source = loadSchema('schema.json', {
    readFile: memoryReader({
      'schema.json': `
{ 'enum': 'OnError', 'data': [ 'report', 'stop' ] }
{ 'struct': 'Base', 'data': { 'id': 'str' } }
{ 'struct': 'Info', 'base': 'Base', 'data': { 'size': 'uint64', 'count': 'int8' } }
{ 'alternate': 'StrOrNull', 'data': { 's': 'str', 'n': 'null' } }
{ 'command': 'query-info', 'data': { 'on-error': 'OnError', 'ref': 'StrOrNull' }, 'returns': [ 'Info' ] }
`,
    }),
  }).model;
  const model = modelOf(
    [
      command('query-info', '1', '[2]'),
      object('1', [['on-error', '3'], ['ref', '4']]),
      object('2', [['id', 'str'], ['size', 'int'], ['count', 'int']]),
      array('2'),
      enumType('3', ['report', 'stop']),
      alternate('4', ['str', 'null']),
    ],
    { model: source, file: 'schema.json' },
  );

  it('takes the names, the integer widths, the alternate branch names and the base', () => {
    const info = model.lookupEntity('Info');
    expect(info?.kind === 'object' && [info.base?.name, info.localMembers.map((m) => `${m.name}:${m.type.name}`)]).toEqual([
      'Base',
      ['size:uint64', 'count:int8'],
    ]);
    expect(model.lookupEntity('OnError')?.kind).toBe('enum');
    const alt = model.lookupEntity('StrOrNull');
    expect(alt?.kind === 'alternate' && alt.variants.variants.map((v) => v.name)).toEqual(['s', 'n']);
    const cmd = model.lookupEntity('query-info');
    expect(cmd?.kind === 'command' && [cmd.argType?.implicit, cmd.retType?.name]).toEqual([true, 'InfoList']);
    expect(info?.doc?.comment.body).toBe('Reported by QEMU through query-qmp-schema; named as in the source schema schema.json.');
  });
});

/** Pairs the types of two models from their common commands and events;
 *  counts, per kind of source type, pairs whose names differ. */
function nameMismatches(source: SchemaModel, other: SchemaModel): { compared: Record<string, number>; mismatched: Record<string, string[]> } {
  const compared: Record<string, number> = {};
  const mismatched: Record<string, string[]> = {};
  const count = (kind: string, same: boolean, what: string): void => {
    compared[kind] = (compared[kind] ?? 0) + 1;
    if (!same) (mismatched[kind] ??= []).push(what);
  };
  const seen = new Set<Entity>();
  const queue: [Entity | null, Entity | null][] = [];
  for (const s of source.entities) {
    if (s.kind !== 'command' && s.kind !== 'event') continue;
    const o = other.lookupEntity(s.name);
    if (o?.kind !== s.kind) continue;
    count(s.kind, o.name === s.name, s.name);
    queue.push([s.argType, (o as typeof s).argType]);
    if (s.kind === 'command' && o.kind === 'command') queue.push([s.retType, o.retType]);
  }
  const qtype = (t: Entity): string => (t.kind === 'builtin' ? t.jsonType.replace('size', 'int') : t.kind);
  for (let i = 0; i < queue.length; i++) {
    const [s, o] = queue[i]!;
    if (!s || !o || seen.has(s) || s.kind !== o.kind) continue;
    seen.add(s);
    if (s.kind === 'object' && o.kind === 'object') {
      count(s.implicit ? 'implicit' : s.meta, s.implicit ? o.implicit : o.name === s.name, `${s.name} ~ ${o.name}`);
      for (const m of s.members) queue.push([m.type, o.members.find((x) => x.name === m.name)?.type ?? null]);
      for (const v of s.variants?.variants ?? []) queue.push([v.type, o.variants?.variants.find((x) => x.name === v.name)?.type ?? null]);
    } else if (s.kind === 'enum' && o.kind === 'enum') {
      count('enum', o.name === s.name, `${s.name} ~ ${o.name}`);
    } else if (s.kind === 'alternate' && o.kind === 'alternate') {
      count('alternate', o.name === s.name, `${s.name} ~ ${o.name}`);
      for (const v of s.variants.variants) queue.push([v.type, o.variants.variants.find((x) => qtype(x.type) === qtype(v.type))?.type ?? null]);
    } else if (s.kind === 'array' && o.kind === 'array') {
      queue.push([s.elementType, o.elementType]);
    }
  }
  return { compared, mismatched };
}

describe.each([
  { release: '7.2', schema: 'qemu-7.2/qapi/qapi-schema.json', capture: 'qemu-7.2/introspection/qemu-system-x86_64.json' },
  { release: '10.0', schema: 'qemu-10.0/qapi/qapi-schema.json', capture: 'qemu-10.0/introspection/qemu-system-x86_64.json' },
])('QEMU $release: names from its own schema', ({ release, schema, capture }) => {
  const s = requireShared(schema, 'names from the source schema');
  const c = requireShared(capture, 'names from the source schema');
  it.skipIf(!s.available || !c.available)('every struct, union, enum, alternate and command the capture shares with the schema has its name', () => {
    const source = loadSchema(s.path, { qemuVersion: release }).model;
    const reported = readCapture(c.path);
    const named = modelFromIntrospection(reported, { namesFrom: { model: source, file: s.path } }).model;
    const { compared, mismatched } = nameMismatches(source, named);
    expect(mismatched).toEqual({});
    // Enough was compared for the zero to mean something.
    expect(compared['command']).toBeGreaterThan(150);
    expect(compared['struct']).toBeGreaterThan(200);
    expect(compared['enum']).toBeGreaterThan(80);
    expect(compared['union']).toBeGreaterThan(10);
    expect(compared['implicit']).toBeGreaterThan(100);
  });

  it.skipIf(!c.available)('derives the same names on every run', () => {
    const once = dumpModel(modelFromIntrospection(readCapture(c.path)).model, '10.2');
    const twice = dumpModel(modelFromIntrospection(readCapture(c.path)).model, '10.2');
    expect(twice).toBe(once);
  });
});
