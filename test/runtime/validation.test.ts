/**
 * The validation engine on descriptors written by hand: integer ranges
 * exactly at each width's edges, alternates chosen as QEMU chooses them,
 * unions, references to types declared later, and member names that are
 * Object.prototype's.  (test/emit/validators.test.ts checks it
 * property-based against generated descriptors.)
 */
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/index.js';
import { loadSchema } from '../../generator/frontend.js';
import { requireShared } from '../helpers/shared.js';
import {
  checkValue,
  INTEGER_RANGES,
  QapiValidationError,
  TypeRegistry,
  type CommandTable,
  type EnumDescriptor,
  type IntegerKind,
  type ObjectDescriptor,
  type TypeTable,
} from '../../runtime/index.js';

const integers = Object.keys(INTEGER_RANGES) as IntegerKind[];

const Color: EnumDescriptor = { kind: 'enum', values: ['red', 'green'] };
// Base refers to RedPart, declared after it: through a function.
const Base: ObjectDescriptor = {
  kind: 'object',
  members: [
    ['type', Color],
    ['name', 'str', true],
  ],
  tag: 'type',
  cases: [['red', () => RedPart]],
};
const RedPart: ObjectDescriptor = { kind: 'object', members: [['shade', 'uint8']] };

const types: TypeTable = [
  ['Color', Color],
  ['StrOrInt', { kind: 'alternate', branches: ['str', 'int8'] }],
  [
    'Protoish',
    {
      kind: 'object',
      members: [
        ['constructor', 'str'],
        ['__proto__', 'bool', true],
        ['toString', 'int8', true],
      ],
    },
  ],
  ['Base', Base],
  ['RedPart', RedPart],
];

const commands: CommandTable = [
  { name: 'paint', args: () => Base, returns: null, oob: false, noReply: false, errors: [] },
  { name: 'ping', args: null, returns: null, oob: true, noReply: false, errors: [] },
];

const registry: TypeRegistry = new TypeRegistry([types], [commands]);

describe('TypeRegistry', () => {
  it.each(integers)('%s: accepts its exact range, rejects one beyond each end', (kind) => {
    const [min, max] = INTEGER_RANGES[kind];
    expect(checkValue(kind, min)).toEqual([]);
    expect(checkValue(kind, max)).toEqual([]);
    expect(checkValue(kind, min - 1n)).toEqual([`value: expected an integer in ${kind} range ${min}..${max}, got ${min - 1n}`]);
    expect(checkValue(kind, max + 1n)).toHaveLength(1);
    expect(checkValue(kind, 1.5)).toEqual(['value: expected an integer, got 1.5']);
  });

  it('compares numbers beyond 2^53 with the ranges exactly', () => {
    expect(checkValue('uint64', 2 ** 64)).toHaveLength(1);
    expect(checkValue('int64', -(2 ** 63))).toEqual([]);
  });

  it('knows the named types it was given, and only those', () => {
    expect(registry.check('RedPart', { shade: 1 })).toEqual([]);
    expect(registry.check('str', 'x')).toEqual(["value: unknown type 'str'"]);
  });

  it('chooses an alternate branch by JSON type, as QEMU does', () => {
    expect(registry.check('StrOrInt', 'x')).toEqual([]);
    expect(registry.check('StrOrInt', 300)).toEqual(['value: expected an integer in int8 range -128..127, got 300']);
    expect(registry.check('StrOrInt', true)).toEqual(['value: expected a string or a number, got true']);
  });

  it('treats prototype names as ordinary members', () => {
    expect(registry.check('Protoish', {})).toEqual(['value.constructor: missing required member']);
    const value = JSON.parse('{"constructor": "c", "__proto__": true, "toString": 1}') as unknown;
    expect(registry.check('Protoish', value)).toEqual([]);
    expect(registry.check('Protoish', { constructor: 1, hasOwnProperty: 2 })).toEqual([
      'value.constructor: expected a string, got 1',
      'value.hasOwnProperty: unknown member',
    ]);
  });

  it('checks a union branch by its tag, and lists every problem', () => {
    expect(registry.checkArguments('paint', { type: 'red', shade: 255 })).toEqual([]);
    expect(registry.checkArguments('paint', { type: 'red', shade: 256, extra: 1 })).toEqual([
      'arguments.shade: expected an integer in uint8 range 0..255, got 256',
      'arguments.extra: unknown member',
    ]);
    expect(registry.checkArguments('paint', { type: 'green', shade: 1 })).toEqual(['arguments.shade: unknown member']);
    expect(registry.checkArguments('paint', { type: 'blue' })).toEqual(['arguments.type: expected one of "red", "green", got "blue"']);
  });

  it.each([
    ['an unknown tag', { type: 'gren', shade: 1, other: 2 }, ['arguments.type: expected one of "red", "green", got "gren" (did you mean "green"?)']],
    ['a tag of the wrong type', { type: 7, shade: 1 }, ['arguments.type: expected one of "red", "green", got 7']],
    ['no tag', { shade: 1, name: 'n' }, ['arguments.type: missing required member']],
  ])('with %s reports the tag alone, nothing about members of branches', (_, args, problems) => {
    expect(registry.checkArguments('paint', args)).toEqual(problems);
  });

  it('knows commands without arguments, and unknown commands', () => {
    expect(registry.checkArguments('ping', undefined)).toEqual([]);
    expect(registry.checkArguments('ping', {})).toEqual([]);
    expect(registry.checkArguments('ping', { x: 1 })).toEqual(['arguments: the command takes no arguments']);
    expect(registry.checkArguments('nope', {})).toEqual(["unknown command 'nope'"]);
    expect(registry.command('ping')?.oob).toBe(true);
  });

  it('assertValid throws a QapiValidationError naming every problem', () => {
    const error = (() => {
      try {
        registry.assertValid('Color', 'blue');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(QapiValidationError);
    expect((error as QapiValidationError).problems).toEqual(['value: expected one of "red", "green", got "blue"']);
    expect((error as Error).message).toBe('Color: value: expected one of "red", "green", got "blue"');
  });
});

const qemu72 = requireShared('qemu-7.2/qapi/qapi-schema.json', "the validator on QEMU 7.2's blockdev-add");

describe.skipIf(!qemu72.available)("TypeRegistry on QEMU 7.2's schema", () => {
  it("blockdev-add with driver 'qcow3' reports the driver alone, with near misses", () => {
    const tables = buildTables(loadSchema(qemu72.path, { qemuVersion: '7.2' }).model);
    const qemu = new TypeRegistry([tables.types], [tables.commands]);
    const problems = qemu.checkArguments('blockdev-add', { driver: 'qcow3', 'node-name': 'y', file: 'f' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^arguments\.driver: expected one of "blkdebug", .*, got "qcow3" \(did you mean "qcow" or "qcow2"\?\)$/);
    // With the right driver, the branch's members are checked as before.
    expect(qemu.checkArguments('blockdev-add', { driver: 'qcow2', 'node-name': 'y', file: 'f', bogus: 1 })).toEqual([
      'arguments.bogus: unknown member',
    ]);
  });
});
