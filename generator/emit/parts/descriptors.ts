/**
 * The run-time tables the validators read: for every emitted type its
 * descriptor (keyed by QAPI name, so implicit and array types are covered
 * too), and for every command what the wrappers need (argument type, oob,
 * no-reply) plus its documented errors.  They are built here as plain
 * runtime values (buildTables: a TypeRegistry for any schema at run time),
 * and the generated modules print those same values, one literal each.
 */
import type { CommandInfo, CommandTable, EventTable, TypeDescriptor, TypeTable } from 'qapi-ts-runtime';
import { checkedAs } from 'qapi-ts-runtime/type-rules';
import type { Command, Event, QapiType, SchemaModel } from '../../model/types.js';
import type { FileBuilder } from './file-builder.js';
import { Filter, type FilterOptions } from '../select/filter.js';
import { docLine, ex } from '../syntax/statements.js';
import { documentedErrors, wireErrorClasses } from './error-docs.js';

/** How a type is checked, with what the filter drops left out. */
export function typeDescriptor(t: QapiType, filter: Filter): TypeDescriptor {
  switch (t.kind) {
    case 'builtin':
      return { kind: 'builtin', type: checkedAs(t.name) };
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

/** An event's row: its name and the QAPI name of its data type. */
function eventRow(e: Event): readonly [string, string | null] {
  return [e.name, e.argType ? e.argType.name : null];
}

/** Every kept type, command and event of a schema, as the generated
 *  modules' tables hold them together:
 *  `new TypeRegistry([types], [commands], { events: [events] })`. */
export function buildTables(model: SchemaModel, options: FilterOptions = {}): { types: TypeTable; commands: CommandTable; events: EventTable } {
  const filter = new Filter(model, options);
  const errorClasses = new Set(wireErrorClasses(model, filter).classes);
  const types: [string, TypeDescriptor][] = [];
  const commands: [string, CommandInfo][] = [];
  const events: (readonly [string, string | null])[] = [];
  for (const e of model.entities) {
    if (!filter.keepsEntity(e)) continue;
    if (e.kind === 'command') commands.push([e.name, commandInfo(e, errorClasses)]);
    else if (e.kind === 'event') events.push(eventRow(e));
    else if (e.kind !== 'include') types.push([e.name, typeDescriptor(e, filter)]);
  }
  return { types, commands, events };
}

/** `export const <file>Types: TypeTable = [[name, descriptor], ...]`. */
export function emitTypeTable(f: FileBuilder, types: readonly QapiType[], id: string): void {
  if (types.length === 0) return;
  // An enum's values are its value list, declared beside it: print its name.
  const enumLists = new Map<unknown, string>();
  const rows: TypeTable = types.map((t) => {
    const d = typeDescriptor(t, f.plan.filter);
    const listId = d.kind === 'enum' ? f.plan.typeId(t) : undefined;
    if (d.kind === 'enum' && listId !== undefined) enumLists.set(d.values, listId);
    return [t.name, d];
  });
  f.add({
    kind: 'const',
    name: id,
    docs: docLine('Run-time descriptors of the types above, keyed by QAPI name, for the validators.'),
    type: f.runtimeType('TypeTable'),
    value: ex.data(rows, (v) => enumLists.get(v)),
  });
}

/** `export const <file>Commands: CommandTable = [[name, info], ...]`. */
export function emitCommandTable(f: FileBuilder, commands: readonly Command[], id: string, errorClasses: ReadonlySet<string>): void {
  if (commands.length === 0) return;
  const rows: CommandTable = commands.map((c) => [c.name, commandInfo(c, errorClasses)]);
  f.add({
    kind: 'const',
    name: id,
    docs: docLine('What the command wrappers need to know, and the errors each command documents.'),
    type: f.runtimeType('CommandTable'),
    value: ex.data(rows),
  });
}

/** `export const <file>Events: EventTable = [[name, data type], ...]`. */
export function emitEventTable(f: FileBuilder, events: readonly Event[], id: string): void {
  if (events.length === 0) return;
  const rows: EventTable = events.map(eventRow);
  f.add({
    kind: 'const',
    name: id,
    docs: docLine('Every event and the QAPI name of its data type, for reading event data.'),
    type: f.runtimeType('EventTable'),
    value: ex.data(rows),
  });
}
