/**
 * Reading query-qmp-schema's reply (runtime/schema-info.ts) and comparing
 * bindings with it (runtime/qemu-schema.ts, runtime/drift.ts), on the
 * replies captured from QEMU 7.2 and 10.0.2 and on broken replies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { compareSchemas } from '../../runtime/drift.js';
import { QemuSchema } from '../../runtime/qemu-schema.js';
import { readSchemaInfo, TypeRegistry, type SchemaInfo } from '../../runtime/index.js';
import { requireShared } from '../helpers/shared.js';

const captures = [
  ['qemu-7.2/introspection/qemu-system-x86_64.json', 'qemu-system-x86_64 7.2'],
  ['qemu-7.2/introspection/qemu-storage-daemon.json', 'qemu-storage-daemon 7.2'],
  ['qemu-10.0/introspection/qemu-system-x86_64.json', 'qemu-system-x86_64 10.0.2'],
  ['qemu-10.0/introspection/qemu-storage-daemon.json', 'qemu-storage-daemon 10.0.2'],
].map(([file, name]) => ({ name: name!, shared: requireShared(file!, 'reading captured query-qmp-schema replies') }));

function capture(path: string): unknown[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { schema: unknown[] }).schema;
}

function entities(path: string): readonly SchemaInfo[] {
  const reading = readSchemaInfo(capture(path));
  if (!reading.ok) throw new Error(reading.problems.join('\n'));
  return reading.entities;
}

describe.each(captures)('the captured reply of $name', ({ shared }) => {
  it.skipIf(!shared.available)('reads whole: every record, each at its place', () => {
    const raw = capture(shared.path);
    const read = entities(shared.path);
    expect(read).toHaveLength(raw.length);
    expect(read.map((e) => e.path)).toEqual(raw.map((_, i) => `[${i}]`));
    const commit = read.find((e) => e.name === 'block-commit');
    expect(commit).toMatchObject({ metaType: 'command', allowOob: false });
  });
});

describe('a reply that is no schema', () => {
  const ok = (extra: unknown[] = []): unknown[] => [{ name: 'str', 'meta-type': 'builtin', 'json-type': 'string' }, ...extra];

  it.each<[string, unknown, string[]]>([
    ['not an array', { return: [] }, ['expected an array of SchemaInfo records, got an object']],
    ['a record that is no object', ok(['str']), ['[1]: expected an object, got "str"']],
    [
      'an unknown meta-type',
      ok([{ name: 'x', 'meta-type': 'union' }]),
      ['[1].meta-type: expected one of builtin, enum, array, object, alternate, command, event, got "union"'],
    ],
    ['a name missing', ok([{ 'meta-type': 'enum', values: ['a'] }]), ['[1].name: missing (a non-empty string)']],
    ['an empty name', ok([{ name: '', 'meta-type': 'enum', values: ['a'] }]), ['[1].name: expected a non-empty string, got ""']],
    [
      'a key the meta-type lacks',
      ok([{ name: 'e', 'meta-type': 'enum', values: ['a'], tag: 'x' }]),
      ['[1].tag: unexpected key (expected only name, meta-type, features, members, values)'],
    ],
    [
      'a bad enum value',
      ok([{ name: 'e', 'meta-type': 'enum', members: [{ name: 'a' }, { name: 7 }] }]),
      ['[1].members[1].name: expected a non-empty string, got 7'],
    ],
    [
      'a bad feature',
      ok([{ name: 'e', 'meta-type': 'enum', values: ['a'], features: [true] }]),
      ['[1].features[0]: expected a feature name, got true'],
    ],
    [
      'a type nothing defines',
      ok([{ name: 'a', 'meta-type': 'array', 'element-type': '5' }]),
      ["[1].element-type: refers to the type '5', which the reply does not define"],
    ],
    ['a name defined twice', ok([{ name: 'str', 'meta-type': 'enum', values: ['a'] }]), ["[1]: the type name 'str' is reported twice"]],
    [
      'a tag without variants',
      ok([{ name: 'o', 'meta-type': 'object', members: [{ name: 't', type: 'str' }], tag: 't' }]),
      ["[1]: 'tag' and 'variants' come together (a union) or not at all"],
    ],
    [
      'an array of a type nothing defines',
      ok([{ name: 'a', 'meta-type': 'array', 'element-type': '[5]' }]),
      ["[1].element-type: refers to the type '[5]', which the reply does not define"],
    ],
    [
      'an alternate without branches',
      ok([{ name: 'a', 'meta-type': 'alternate', members: [] }]),
      ['[1].members: an alternate has at least one branch'],
    ],
    [
      'allow-oob not a boolean',
      ok([{ name: 'c', 'meta-type': 'command', 'arg-type': 'str', 'ret-type': 'str', 'allow-oob': 'yes' }]),
      ['[1].allow-oob: expected true or false, got "yes"'],
    ],
  ])('%s: every problem at its path', (_what, reply, problems) => {
    expect(readSchemaInfo(reply)).toEqual({ ok: false, problems });
  });

  it('takes `[T]` for the array of a defined T, reported or not', () => {
    const reading = readSchemaInfo(ok([{ name: 'c', 'meta-type': 'command', 'arg-type': 'str', 'ret-type': '[[str]]' }]));
    expect(reading.ok).toBe(true);
  });

  it('places the paths where the reply sits, when told', () => {
    expect(readSchemaInfo({}, 'schema')).toEqual({
      ok: false,
      problems: ['schema: expected an array of SchemaInfo records, got an object'],
    });
    expect(readSchemaInfo(ok([7]), 'schema')).toEqual({ ok: false, problems: ['schema[1]: expected an object, got 7'] });
  });
});

const schema102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'drift of 10.2 bindings against QEMU 7.2');
const schema72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'drift of 7.2 bindings against QEMU 7.2');
const system72 = captures[0]!.shared;

function bindingsOf(path: string, qemuVersion: string): TypeRegistry {
  const { types, commands, events } = buildTables(loadSchema(path, { qemuVersion }).model);
  return new TypeRegistry([types], [commands], { events: [events] });
}

describe.skipIf(!schema102.available || !schema72.available || !system72.available)(
  'bindings compared with QEMU 7.2 (qemu-system-x86_64)',
  () => {
    it("from 10.2's schema: block-commit's backing-mask-protocol is missing, and 7.2 refuses a call using it", () => {
      const qemu = new QemuSchema(entities(system72.path));
      const drift = compareSchemas(bindingsOf(schema102.path, '10.2'), qemu, 'QEMU 7.2');
      expect(drift.differences.filter((d) => d.name === 'block-commit')).toEqual([
        {
          kind: 'member-missing',
          name: 'block-commit',
          path: 'arguments["backing-mask-protocol"]',
          refusesCalls: true,
          message: 'the QEMU has no such member',
        },
      ]);
      expect(qemu.refusals('block-commit', { device: 'd', 'backing-mask-protocol': true })).toEqual([
        { path: 'arguments["backing-mask-protocol"]', kind: 'unknown-member', message: 'unknown member' },
      ]);
      expect(qemu.refusals('block-commit', { device: 'd', speed: 2n ** 63n - 1n, 'on-error': 'stop' })).toEqual([]);
    });

    it("from 7.2's own schema: only commands and enum values this build lacks, nothing of another kind", () => {
      const drift = compareSchemas(bindingsOf(schema72.path, '7.2'), new QemuSchema(entities(system72.path)), 'QEMU 7.2');
      const kinds = new Set(drift.differences.map((d) => d.kind));
      expect([...kinds].sort()).toEqual(['command-missing', 'value-missing']);
      // Two of them, each behind an 'if' in 7.2's schema: a command of other
      // targets, and a driver of a library Debian builds without.
      expect(drift.differences).toContainEqual(expect.objectContaining({ kind: 'command-missing', name: 'query-gic-capabilities' }));
      expect(drift.differences).toContainEqual(
        expect.objectContaining({ kind: 'value-missing', name: 'blockdev-add', path: 'arguments.driver' }),
      );
    });
  },
);
