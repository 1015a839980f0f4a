/**
 * A small schema written as named tables, for the peer's tests: one of each
 * kind of type QEMU's visitor treats differently (integers of several
 * widths, enum, list, nested object, union, alternate, any, null), a
 * command that may run out of band, one without reply, and two events.
 */
import { linkNamedTables, TypeRegistry, type NamedTables } from 'qapi-ts-runtime';

export const TINY: NamedTables = {
  types: [
    ['Color', { kind: 'enum', values: ['red', 'green'] }],
    ['Inner', { kind: 'object', members: [['n', 'uint8'], ['tag', 'str', true]] }],
    ['ThingBase', { kind: 'object', members: [['kind', 'Kind'], ['name', 'str']] }],
    ['Kind', { kind: 'enum', values: ['disk', 'net', 'none'] }],
    ['DiskThing', { kind: 'object', members: [['size', 'uint64']] }],
    ['NetThing', { kind: 'object', members: [['mac', 'str'], ['vlan', 'int8', true]] }],
    [
      'Thing',
      {
        kind: 'object',
        members: [['kind', 'Kind'], ['name', 'str']],
        tag: 'kind',
        cases: [['disk', 'DiskThing'], ['net', 'NetThing']],
      },
    ],
    ['RefOrNull', { kind: 'alternate', branches: ['Inner', 'str', 'null'] }],
    ['ColorList', { kind: 'array', element: 'Color' }],
    ['SetArgs', {
      kind: 'object',
      members: [
        ['count', 'int64'],
        ['limit', 'uint64', true],
        ['small', 'uint8', true],
        ['signed', 'int8', true],
        ['ratio', 'number', true],
        ['flag', 'bool', true],
        ['color', 'Color', true],
        ['colors', 'ColorList', true],
        ['inner', 'Inner', true],
        ['ref', 'RefOrNull', true],
        ['blob', 'any', true],
      ],
    }],
    ['Answer', { kind: 'object', members: [['total', 'int64'], ['note', 'str', true]] }],
    ['TickData', { kind: 'object', members: [['n', 'int64'], ['color', 'Color']] }],
    ['PingArgs', { kind: 'object', members: [['word', 'str', true]] }],
  ],
  commands: [
    ['qmp_capabilities', { args: 'CapArgs', returns: null, oob: false, noReply: false }],
    ['set', { args: 'SetArgs', returns: 'Answer', oob: false, noReply: false }],
    ['add-thing', { args: 'Thing', returns: null, oob: false, noReply: false }],
    ['ping', { args: 'PingArgs', returns: 'str', oob: true, noReply: false }],
    ['quit', { args: null, returns: null, oob: false, noReply: false }],
    ['fire', { args: null, returns: null, oob: false, noReply: true }],
    ['query-colors', { args: null, returns: 'ColorList', oob: false, noReply: false }],
  ],
  events: [
    ['TICK', 'TickData'],
    ['STOP', null],
  ],
};

/** The capability list of qmp_capabilities, added to TINY's types. */
const CAPS: NamedTables['types'] = [
  ['QMPCapability', { kind: 'enum', values: ['oob'] }],
  ['QMPCapabilityList', { kind: 'array', element: 'QMPCapability' }],
  ['CapArgs', { kind: 'object', members: [['enable', 'QMPCapabilityList', true]] }],
];

/** What the tiny schema's commands take and return, as generated bindings would type them. */
export interface TinyCommands {
  qmp_capabilities: { args: { enable?: 'oob'[] } | undefined; returns: void; oob: false };
  set: {
    args: { count: number | bigint; limit?: number | bigint; small?: number; signed?: number; ratio?: number; flag?: boolean; color?: 'red' | 'green'; colors?: ('red' | 'green')[]; inner?: { n: number; tag?: string }; ref?: { n: number; tag?: string } | string | null; blob?: unknown };
    returns: { total: number | bigint; note?: string };
    oob: false;
  };
  'add-thing': { args: { kind: 'disk'; name: string; size: number | bigint } | { kind: 'net'; name: string; mac: string; vlan?: number } | { kind: 'none'; name: string }; returns: void; oob: false };
  ping: { args: { word?: string } | undefined; returns: string; oob: true };
  quit: { args: undefined; returns: void; oob: false };
  fire: { args: undefined; returns: void; oob: false };
  'query-colors': { args: undefined; returns: ('red' | 'green')[]; oob: false };
}

export type TinyEvents = {
  TICK: { n: number | bigint; color: 'red' | 'green' };
  STOP: undefined;
};

/** A registry of the tiny schema, typed as bindings would be. */
export function tinyRegistry(int64: 'mixed' | 'bigint' | 'number' = 'mixed'): TypeRegistry<unknown, TinyCommands, TinyEvents> {
  const linked = linkNamedTables({ ...TINY, types: [...CAPS, ...TINY.types] });
  return new TypeRegistry<unknown, TinyCommands, TinyEvents>([linked.types], [linked.commands], { int64, events: [linked.events] });
}
