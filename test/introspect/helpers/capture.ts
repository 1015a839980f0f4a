/**
 * Small query-qmp-schema replies written by hand, for tests that need to
 * know exactly what a QEMU reported.
 */
import { modelFromIntrospection, parseCapture } from '../../../generator/introspect/index.js';
import type { SchemaModel } from '../../../generator/model/types.js';

export type Info = Record<string, unknown>;

export const EMPTY: Info = { name: '0', 'meta-type': 'object', members: [] };
export const BUILTINS: Info[] = [
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'bool', 'meta-type': 'builtin', 'json-type': 'boolean' },
  { name: 'null', 'meta-type': 'builtin', 'json-type': 'null' },
];

export const command = (name: string, arg = '0', ret = '0', extra: Info = {}): Info => ({ name, 'meta-type': 'command', 'arg-type': arg, 'ret-type': ret, ...extra });
export const event = (name: string, arg = '0'): Info => ({ name, 'meta-type': 'event', 'arg-type': arg });
export const object = (name: string, members: readonly (readonly [string, string, boolean?])[], extra: Info = {}): Info => ({
  name,
  'meta-type': 'object',
  members: members.map(([n, type, optional]) => ({ name: n, type, ...(optional ? { default: null } : {}) })),
  ...extra,
});
export const enumType = (name: string, values: readonly string[]): Info => ({ name, 'meta-type': 'enum', values });
export const array = (element: string): Info => ({ name: `[${element}]`, 'meta-type': 'array', 'element-type': element });
export const alternate = (name: string, types: readonly string[]): Info => ({ name, 'meta-type': 'alternate', members: types.map((type) => ({ type })) });

/** The model of a reply made of these entries (plus q_empty and the built-ins). */
export function modelOf(entries: readonly Info[], source?: { model: SchemaModel; file: string }): SchemaModel {
  const schema = [...entries, EMPTY, ...BUILTINS];
  return modelFromIntrospection(parseCapture(JSON.stringify(schema), 'reply.json'), source ? { namesFrom: source } : {}).model;
}
