/**
 * The span stage on small schemas, rule by rule: types paired by place
 * whatever their names, named after the newest release's name; one type
 * in one release standing for two in another (both ways); a capture beside
 * a schema (names and integer widths from the schema); a struct that became
 * a union; a member that moved into a base; a command that gained
 * arguments or a return value; and what the merged model says to a backend
 * that knows no span (optional where a release lacks a member).
 */
import { describe, expect, it } from 'vitest';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { loadSchema } from '../../generator/frontend.js';
import type { Command, ObjectType, QapiType } from '../../generator/model/types.js';
import { mergeReleases, SpanError, type ReleaseModel } from '../../generator/span/merge.js';
import { indicesOf } from '../../generator/span/releases.js';
import type { SpannedModel } from '../../generator/span/types.js';
import { modelFromIntrospection, parseCapture } from '../../generator/introspect/index.js';
import { memoryReader } from '../helpers/memory-schema.js';

/** A span of schemas given as text, by release. */
function span(releases: Record<string, string>): SpannedModel {
  return mergeReleases(
    Object.entries(releases).map(([name, text]): ReleaseModel => ({
      release: { name, origin: 'schema', file: `${name}.json` },
      model: loadSchema('s.json', { qemuVersion: name, readFile: memoryReader({ 's.json': text }) }).model,
    })),
  );
}

const names = (m: SpannedModel, set: number): string[] => indicesOf(set).map((i) => m.span.releases[i]!.name);
const type = (m: SpannedModel, name: string): QapiType => {
  const t = m.lookupType(name);
  if (!t) throw new Error(`no type ${name}; the span has ${m.entities.filter((e) => e.kind === 'object' || e.kind === 'enum').map((e) => e.name).join(', ')}`);
  return t;
};
const command = (m: SpannedModel, name: string): Command => m.entities.find((e): e is Command => e.kind === 'command' && e.name === name)!;
/** Each member of an object: `name in RELEASES (optional in RELEASES)`. */
const members = (m: SpannedModel, t: QapiType): string[] =>
  (t as ObjectType).members.map((x) => {
    const s = m.span.member(x);
    const optional = s.optionalIn === 0 ? '' : ` optional in ${names(m, s.optionalIn).join(',')}`;
    return `${x.name} in ${names(m, s.in).join(',')}${optional}: ${s.types.map((g) => `${g.type?.name} ${names(m, g.in).join(',')}`).join(' | ')}`;
  });

describe('types paired by place', () => {
  it('a type renamed between releases is one type, named as the newest release names it', () => {
    const m = span({
      '8.2': "{ 'struct': 'OldInfo', 'data': { 'a': 'str' } }\n{ 'command': 'query-info', 'returns': 'OldInfo' }",
      '10.2': "{ 'struct': 'NewInfo', 'data': { 'a': 'str', 'b': 'int' } }\n{ 'command': 'query-info', 'returns': 'NewInfo' }",
    });
    expect(m.lookupType('OldInfo')).toBeUndefined();
    expect(members(m, type(m, 'NewInfo'))).toEqual(['a in 8.2,10.2: str 8.2,10.2', 'b in 10.2: int 10.2']);
    expect(command(m, 'query-info').retType).toBe(type(m, 'NewInfo'));
  });

  it("one older type standing for two newer ones: two types of the span, the older one's members in both", () => {
    const m = span({
      '8.2': "{ 'struct': 'Opts', 'data': { 'x': 'str' } }\n{ 'command': 'a', 'data': 'Opts' }\n{ 'command': 'b', 'data': 'Opts' }",
      '10.2':
        "{ 'struct': 'AOpts', 'data': { 'x': 'str', 'ax': 'int' } }\n{ 'struct': 'BOpts', 'data': { 'x': 'str', 'bx': 'bool' } }\n" +
        "{ 'command': 'a', 'data': 'AOpts' }\n{ 'command': 'b', 'data': 'BOpts' }",
    });
    expect(members(m, type(m, 'AOpts'))).toEqual(['x in 8.2,10.2: str 8.2,10.2', 'ax in 10.2: int 10.2']);
    expect(members(m, type(m, 'BOpts'))).toEqual(['x in 8.2,10.2: str 8.2,10.2', 'bx in 10.2: bool 10.2']);
    expect(m.lookupType('Opts')).toBeUndefined();
  });

  it('two older types that became one: two types of the span, the second named as the older release named it', () => {
    const m = span({
      '8.2':
        "{ 'struct': 'AOpts', 'data': { 'x': 'str', 'ax': 'int' } }\n{ 'struct': 'BOpts', 'data': { 'x': 'str', 'bx': 'bool' } }\n" +
        "{ 'command': 'a', 'data': 'AOpts' }\n{ 'command': 'b', 'data': 'BOpts' }",
      '10.2': "{ 'struct': 'Opts', 'data': { 'x': 'str' } }\n{ 'command': 'a', 'data': 'Opts' }\n{ 'command': 'b', 'data': 'Opts' }",
    });
    const [a, b] = [command(m, 'a').argType!, command(m, 'b').argType!];
    expect(a).not.toBe(b);
    expect([a.name, b.name]).toEqual(['Opts', 'BOpts']);
    expect(members(m, a)).toEqual(['x in 8.2,10.2: str 8.2,10.2', 'ax in 8.2: int 8.2']);
    expect(members(m, b)).toEqual(['x in 8.2,10.2: str 8.2,10.2', 'bx in 8.2: bool 8.2']);
  });

  it('a name reused for another type is not one type with it where places tell them apart', () => {
    const m = span({
      '8.2': "{ 'struct': 'Snap', 'data': { 'device': 'str' } }\n{ 'command': 'snap-sync', 'data': 'Snap' }",
      '10.2':
        "{ 'struct': 'SnapSync', 'data': { 'device': 'str' } }\n{ 'struct': 'Snap', 'data': { 'node': 'str' } }\n" +
        "{ 'command': 'snap-sync', 'data': 'SnapSync' }\n{ 'command': 'snap', 'data': 'Snap' }",
    });
    expect(members(m, type(m, 'Snap'))).toEqual(['node in 10.2: str 10.2']);
    expect(members(m, type(m, 'SnapSync'))).toEqual(['device in 8.2,10.2: str 8.2,10.2']);
  });
});

describe('what changes at a place', () => {
  const m = span({
    '8.2':
      "{ 'struct': 'Job', 'data': { 'id': 'str', 'type': 'str', '*gone': 'int', 'len': 'int32' } }\n" +
      "{ 'command': 'query-jobs', 'returns': [ 'Job' ] }\n{ 'command': 'go' }\n{ 'command': 'stop', 'returns': 'Job' }",
    '10.2':
      "{ 'enum': 'JobType', 'data': [ 'commit', 'stream' ] }\n" +
      "{ 'struct': 'Job', 'data': { 'id': 'str', 'type': 'JobType', 'len': 'int', '*new': 'bool' } }\n" +
      "{ 'command': 'query-jobs', 'returns': [ 'Job' ] }\n{ 'command': 'go', 'data': { 'speed': 'int' } }\n{ 'command': 'stop' }",
  });

  it('members: added, removed, retyped; honest for a backend that knows no span', () => {
    expect(members(m, type(m, 'Job'))).toEqual([
      'id in 8.2,10.2: str 8.2,10.2',
      'type in 8.2,10.2: JobType 10.2 | str 8.2',
      'gone in 8.2 optional in 8.2: int 8.2',
      'len in 8.2,10.2: int 10.2 | int32 8.2',
      'new in 10.2 optional in 10.2: bool 10.2',
    ]);
    const job = type(m, 'Job') as ObjectType;
    expect(job.members.map((x) => `${x.name}${x.optional ? '?' : ''}: ${x.type.name}`)).toEqual(['id: str', 'type: JobType', 'gone?: int', 'len: int', 'new?: bool']);
  });

  it('a command that gained arguments: absent, not required, where it had none', () => {
    const go = command(m, 'go');
    expect(members(m, go.argType!)).toEqual(['speed in 10.2: int 10.2']);
    expect(go.argType!.members[0]!.optional).toBe(true);
  });

  it('a command that stopped returning: what it returns by release', () => {
    expect(m.span.returns(command(m, 'stop')).map((g) => `${g.type?.name ?? 'nothing'} ${names(m, g.in).join(',')}`)).toEqual(['nothing 10.2', 'Job 8.2']);
  });
});

describe('structs, unions and bases', () => {
  it('a struct that became a union: its cases carry the releases that have them', () => {
    const m = span({
      '8.2': "{ 'struct': 'Info', 'data': { 'type': 'str', 'a': 'int' } }\n{ 'command': 'q', 'returns': 'Info' }",
      '10.2':
        "{ 'enum': 'Kind', 'data': [ 'x', 'y' ] }\n{ 'struct': 'InfoX', 'data': { 'xx': 'int' } }\n" +
        "{ 'union': 'Info', 'base': { 'type': 'Kind', 'a': 'int' }, 'discriminator': 'type', 'data': { 'x': 'InfoX' } }\n" +
        "{ 'command': 'q', 'returns': 'Info' }",
    });
    const info = type(m, 'Info') as ObjectType;
    expect(info.variants?.variants.map((v) => `${v.name} in ${names(m, m.span.variant(v).in).join(',')}`)).toEqual(['x in 10.2', 'y in 10.2']);
    // 8.2 had no base: the union holds its members itself.
    expect(info.base).toBeNull();
    expect(members(m, info)).toEqual(['type in 8.2,10.2: Kind 10.2 | str 8.2', 'a in 8.2,10.2: int 8.2,10.2']);
  });

  it('a base that stayed one is one type; a member that moved into it leaves the struct without one', () => {
    const kept = span({
      '8.2': "{ 'struct': 'Base', 'data': { 'b': 'str' } }\n{ 'struct': 'Sub', 'base': 'Base', 'data': { 's': 'int' } }\n{ 'command': 'q', 'returns': 'Sub' }",
      '10.2': "{ 'struct': 'Base', 'data': { 'b': 'str', 'b2': 'int' } }\n{ 'struct': 'Sub', 'base': 'Base', 'data': { 's': 'int' } }\n{ 'command': 'q', 'returns': 'Sub' }",
    });
    expect((type(kept, 'Sub') as ObjectType).base).toBe(type(kept, 'Base'));
    const moved = span({
      '8.2': "{ 'struct': 'Base', 'data': { 'b': 'str' } }\n{ 'struct': 'Sub', 'base': 'Base', 'data': { 's': 'int' } }\n{ 'command': 'q', 'returns': 'Sub' }",
      '10.2': "{ 'struct': 'Base', 'data': { 'b': 'str', 's': 'int' } }\n{ 'struct': 'Sub', 'base': 'Base', 'data': { 't': 'int' } }\n{ 'command': 'q', 'returns': 'Sub' }",
    });
    const s = type(moved, 'Sub') as ObjectType;
    expect(s.base).toBeNull();
    expect(members(moved, s)).toEqual(['b in 8.2,10.2: str 8.2,10.2', 's in 8.2,10.2: int 8.2,10.2', 't in 10.2: int 10.2']);
  });
});

describe('a capture beside a schema', () => {
  const capture = [
    { name: 'query-info', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '1', 'allow-oob': false },
    { name: '0', 'meta-type': 'object', members: [] },
    { name: '1', 'meta-type': 'object', members: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }] },
    { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  ];
  const schema = "{ 'struct': 'Info', 'data': { 'a': 'int32' } }\n{ 'command': 'query-info', 'returns': 'Info' }";
  const m = mergeReleases([
    { release: { name: '8.2', origin: 'schema', file: 's.json' }, model: loadSchema('s.json', { qemuVersion: '8.2', readFile: memoryReader({ 's.json': schema }) }).model },
    {
      release: { name: '10.0', origin: 'introspection', file: 'c.json' },
      model: modelFromIntrospection(parseCapture(JSON.stringify(capture), 'c.json')).model,
    },
  ]);

  it("takes the schema's names and integer widths; what only the capture has keeps the capture's width", () => {
    const info = command(m, 'query-info').retType!;
    expect(info.name).toBe('Info');
    expect(members(m, info)).toEqual(['a in 8.2,10.0: int32 8.2,10.0', 'b in 10.0: int (any width) 10.0']);
  });
});

describe('the models it is given', () => {
  it('are left as they were: each prints the same bindings after the merge, so one read serves several spans', () => {
    const releases = {
      '8.2': "{ 'struct': 'Job', 'data': { 'id': 'str', '*gone': 'int' } }\n{ 'command': 'query-jobs', 'returns': [ 'Job' ] }",
      '10.2': "{ 'enum': 'JobType', 'data': [ 'commit' ] }\n{ 'struct': 'Job', 'data': { 'id': 'str', 'type': 'JobType' } }\n{ 'command': 'query-jobs', 'returns': [ 'Job' ] }",
    };
    const given = Object.entries(releases).map(([name, text]): ReleaseModel => ({
      release: { name, origin: 'schema', file: `${name}.json` },
      model: loadSchema('s.json', { qemuVersion: name, readFile: memoryReader({ 's.json': text }) }).model,
    }));
    const printed = (): string[][] => given.map(({ model }) => (['ts', 'js+dts'] as const).flatMap((target) => generateFromModel(model, 's.json', { target }).map((f) => f.content)));
    const before = printed();
    const first = mergeReleases(given);
    expect(printed()).toEqual(before);
    // Merged again from the same models: the same span.
    expect(generateFromModel(mergeReleases(given), 's.json', { target: 'ts' })).toEqual(generateFromModel(first, 's.json', { target: 'ts' }));
  });
});

describe('the releases of a span', () => {
  it.each([
    { what: 'a release twice', releases: ['8.2', '8.2'], message: 'release 8.2 is given twice' },
  ])('$what is a SpanError', ({ releases, message }) => {
    const inputs = releases.map((name): ReleaseModel => ({
      release: { name, origin: 'schema', file: `${name}.json` },
      model: loadSchema('s.json', { qemuVersion: name, readFile: memoryReader({ 's.json': "{ 'command': 'c' }" }) }).model,
    }));
    expect(() => mergeReleases(inputs)).toThrow(SpanError);
    expect(() => mergeReleases(inputs)).toThrow(message);
  });

  it('are ordered by version whatever order they come in', () => {
    const m = span({ '10.2': "{ 'command': 'c' }", '8.2': "{ 'command': 'c' }", '9.2': "{ 'command': 'd' }" });
    expect(m.span.releases.map((r) => r.name)).toEqual(['8.2', '9.2', '10.2']);
    expect(names(m, m.span.entity(command(m, 'c')))).toEqual(['8.2', '10.2']);
  });
});
