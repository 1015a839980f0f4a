/**
 * The run-time tables the validators read: for every emitted type its
 * descriptor (keyed by QAPI name, so implicit and array types are covered
 * too), and for every command what the wrappers need (argument type, oob,
 * no-reply) plus its documented errors.  They are built here as plain
 * runtime values (buildTables: a TypeRegistry for any schema at run time),
 * and the generated modules print those same values, one literal each.
 */
import type { BuiltinKind, CommandInfo, CommandTable, TypeDescriptor, TypeTable } from '../../runtime/tables.js';
import type { Command, QapiType, SchemaModel } from '../model/types.js';
import { documentedErrors, wireErrorClasses } from './error-docs.js';
import type { FileEmitter } from './file-emitter.js';
import { Filter, type FilterOptions } from './filter.js';
import { quote } from './names.js';

/** The run-time check of each built-in type, by its QAPI name. */
export const BUILTIN_KIND: Readonly<Record<string, BuiltinKind>> = {
  str: 'str',
  bool: 'bool',
  number: 'number',
  null: 'null',
  any: 'any',
  int: 'int64',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  size: 'uint64',
};

/** How a type is checked, with what the filter drops left out. */
export function typeDescriptor(t: QapiType, filter: Filter): TypeDescriptor {
  switch (t.kind) {
    case 'builtin':
      return { kind: 'builtin', type: BUILTIN_KIND[t.name] ?? 'any' };
    case 'enum':
      return { kind: 'enum', values: t.members.filter((m) => filter.keeps(m)).map((m) => m.name) };
    case 'array':
      return { kind: 'array', element: t.elementType.name };
    case 'alternate':
      return { kind: 'alternate', branches: t.variants.variants.filter((v) => filter.keeps(v)).map((v) => v.type.name) };
    case 'object': {
      const members = t.members
        .filter((m) => filter.keeps(m))
        .map((m): readonly [string, string, true?] => (m.optional ? [m.name, m.type.name, true] : [m.name, m.type.name]));
      if (!t.variants) return { kind: 'object', members };
      const cases = t.variants.variants.filter((v) => filter.keeps(v)).map((v) => [v.name, v.type.name] as const);
      return { kind: 'object', members, tag: t.variants.tagMember.name, cases };
    }
  }
}

/** What a command's wrapper needs, and the errors its doc lists. */
export function commandInfo(c: Command, errorClasses: ReadonlySet<string>): CommandInfo {
  return {
    args: c.argType ? c.argType.name : null,
    returns: c.retType ? c.retType.name : null,
    oob: c.allowOob,
    noReply: !c.successResponse,
    errors: documentedErrors(c.doc, errorClasses).map((e) => ({
      condition: e.condition,
      documented: e.documented,
      errorClass: e.errorClass,
    })),
  };
}

/** Every kept type and command of a schema, as the generated modules'
 *  tables hold them together: `new TypeRegistry([types], [commands])`. */
export function buildTables(model: SchemaModel, options: FilterOptions = {}): { types: TypeTable; commands: CommandTable } {
  const filter = new Filter(model, options);
  const errorClasses = new Set(wireErrorClasses(model, filter).classes);
  const types: [string, TypeDescriptor][] = [];
  const commands: [string, CommandInfo][] = [];
  for (const e of model.entities) {
    if (!filter.keepsEntity(e)) continue;
    if (e.kind === 'command') commands.push([e.name, commandInfo(e, errorClasses)]);
    else if (e.kind !== 'event' && e.kind !== 'include') types.push([e.name, typeDescriptor(e, filter)]);
  }
  return { types, commands };
}

/** A value as a one-line literal (prettier lays it out); `ident` may print
 *  a part as an identifier instead. */
export function literalText(value: unknown, ident: (value: unknown) => string | undefined = () => undefined): string {
  const id = ident(value);
  if (id !== undefined) return id;
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value !== 'object') return String(value);
  const text = (v: unknown): string => literalText(v, ident);
  if (Array.isArray(value)) return `[${value.map(text).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k}: ${text(v)}`)
    .join(', ')} }`;
}

/** `export const <file>Types: TypeTable = [[name, descriptor], ...]`. */
export function emitTypeTable(f: FileEmitter, types: readonly QapiType[], id: string): void {
  if (types.length === 0) return;
  // An enum's values are its value list, declared beside it: print its name.
  const enumLists = new Map<unknown, string>();
  const rows: TypeTable = types.map((t) => {
    const d = typeDescriptor(t, f.plan.filter);
    const listId = d.kind === 'enum' ? f.plan.typeId(t) : undefined;
    if (d.kind === 'enum' && listId !== undefined) enumLists.set(d.values, listId);
    return [t.name, d];
  });
  const tableType = f.importFrom(f.plan.runtime, 'TypeTable', true);
  f.add({
    tag: 'variable',
    structure: {
      isExported: true,
      docs: [{ description: 'Run-time descriptors of the types above, keyed by QAPI name, for the validators.' }],
      declarations: [{ name: id, type: tableType, initializer: literalText(rows, (v) => enumLists.get(v)) }],
    },
  });
}

/** `export const <file>Commands: CommandTable = [[name, info], ...]`. */
export function emitCommandTable(f: FileEmitter, commands: readonly Command[], id: string, errorClasses: ReadonlySet<string>): void {
  if (commands.length === 0) return;
  const rows: CommandTable = commands.map((c) => [c.name, commandInfo(c, errorClasses)]);
  const tableType = f.importFrom(f.plan.runtime, 'CommandTable', true);
  f.add({
    tag: 'variable',
    structure: {
      isExported: true,
      docs: [{ description: 'What the command wrappers need to know, and the errors each command documents.' }],
      declarations: [{ name: id, type: tableType, initializer: literalText(rows) }],
    },
  });
}
