/**
 * The run-time descriptors the validators read (runtime/tables.ts): for
 * every type that has one of its own (hasOwnDescriptor) and every command.
 * describeType and describeCommand build them as plain runtime values, with
 * a reference to another type made by the caller; so the same values are
 * linked into a TypeRegistry for any schema at run time (buildTables), and
 * printed into the generated modules, one declaration each, referring to
 * one another by name (emitDescriptors).
 */
import type { CommandInfo, CommandTable, EventTable, TypeDescriptor, TypeRef, TypeTable } from 'qapi-ts-runtime';
import { checkedAs } from 'qapi-ts-runtime/type-rules';
import type { Command, Event, QapiType, SchemaModel } from '../../model/types.js';
import { hasOwnDescriptor, type ModuleTables } from '../naming/plan.js';
import type { RuntimeName } from '../naming/runtime-names.js';
import { Filter, type FilterOptions } from '../../select/filter.js';
import { docLine, ex, type Expr } from '../syntax/statements.js';
import { fixedText } from '../templates.js';
import { documentedErrors, wireErrorClasses } from './error-docs.js';
import type { FileBuilder } from './file-builder.js';

/** How descriptors are made: what is kept, and how a reference to a type
 *  with a descriptor of its own is made. */
interface Describing {
  readonly filter: Filter;
  readonly named: (t: QapiType) => TypeRef;
}

/** A reference to a type: a built-in by kind, a type with a descriptor of
 *  its own through `named`, anything else written in place. */
function typeRef(t: QapiType, d: Describing): TypeRef {
  if (t.kind === 'builtin') return checkedAs(t.name);
  return hasOwnDescriptor(t) ? d.named(t) : describeType(t, d);
}

/** How a type is checked, with what the filter drops left out. */
function describeType(t: QapiType, d: Describing): TypeDescriptor {
  switch (t.kind) {
    case 'builtin':
      throw new Error(`built-in type '${t.name}' has no descriptor; it is referred to by kind`);
    case 'enum':
      return { kind: 'enum', values: t.members.filter((m) => d.filter.keeps(m)).map((m) => m.name) };
    case 'array':
      return { kind: 'array', element: typeRef(t.elementType, d) };
    case 'alternate':
      return { kind: 'alternate', branches: t.variants.variants.filter((v) => d.filter.keeps(v)).map((v) => typeRef(v.type, d)) };
    case 'object': {
      const members = t.members
        .filter((m) => d.filter.keeps(m))
        .map((m): readonly [string, TypeRef, true?] => (m.optional ? [m.name, typeRef(m.type, d), true] : [m.name, typeRef(m.type, d)]));
      if (!t.variants) return { kind: 'object', members };
      const cases = t.variants.variants.filter((v) => d.filter.keeps(v)).map((v) => [v.name, typeRef(v.type, d)] as const);
      return { kind: 'object', members, tag: t.variants.tagMember.name, cases };
    }
  }
}

/** What running a command needs, and the errors its doc lists. */
function describeCommand(c: Command, errorClasses: ReadonlySet<string>, d: Describing): CommandInfo {
  return {
    name: c.name,
    args: c.argType ? typeRef(c.argType, d) : null,
    returns: c.retType ? typeRef(c.retType, d) : null,
    oob: c.allowOob,
    noReply: !c.successResponse,
    errors: documentedErrors(c.doc, errorClasses).map((e) => ({ condition: e.condition, documented: e.documented, errorClass: e.errorClass })),
  };
}

/** Whether the registry lists a type by name: the types the schema names. */
function isNamed(t: QapiType): boolean {
  return t.kind === 'enum' || t.kind === 'alternate' || (t.kind === 'object' && !t.implicit);
}

/** An event's row: its name and the type of its data. */
function eventRow(e: Event, d: Describing): readonly [string, TypeRef | null] {
  return [e.name, e.argType ? typeRef(e.argType, d) : null];
}

/** Every kept named type, command and event of a schema, linked, as the
 *  generated modules' tables hold them together:
 *  `new TypeRegistry([types], [commands], { events: [events] })`. */
export function buildTables(model: SchemaModel, options: FilterOptions = {}): { types: TypeTable; commands: CommandTable; events: EventTable } {
  const filter = new Filter(model, options);
  const errorClasses = new Set(wireErrorClasses(model, filter).classes);
  const descriptors = new Map<QapiType, TypeDescriptor>();
  const d: Describing = {
    filter,
    named: (t) => () => {
      const found = descriptors.get(t);
      if (found === undefined) throw new Error(`type '${t.name}' is not kept`);
      return found;
    },
  };
  for (const e of model.entities) {
    if (e.kind !== 'command' && e.kind !== 'event' && e.kind !== 'include' && filter.keepsEntity(e) && hasOwnDescriptor(e)) {
      descriptors.set(e, describeType(e, d));
    }
  }
  const types: [string, TypeDescriptor][] = [];
  for (const [t, descriptor] of descriptors) if (isNamed(t)) types.push([t.name, descriptor]);
  const kept = model.entities.filter((e) => filter.keepsEntity(e));
  const commands = kept.filter((e): e is Command => e.kind === 'command').map((c) => describeCommand(c, errorClasses, d));
  const events = kept.filter((e): e is Event => e.kind === 'event').map((e) => eventRow(e, d));
  return { types, commands, events };
}

/** The runtime interface each kind of descriptor is declared as. */
const DESCRIPTOR_TYPE: Readonly<Record<TypeDescriptor['kind'], RuntimeName>> = {
  enum: 'EnumDescriptor',
  array: 'ArrayDescriptor',
  alternate: 'AlternateDescriptor',
  object: 'ObjectDescriptor',
};

/** Descriptors as printed: references to other descriptors become `() => X$`
 *  (imported from X's file), an enum's values the name of its value list. */
class PrintedDescriptors implements Describing {
  private readonly printed = new Map<unknown, Expr>();

  constructor(
    private readonly f: FileBuilder,
    readonly filter: Filter,
  ) {}

  readonly named = (t: QapiType): TypeRef => {
    const ref = (): never => {
      throw new Error('a printed reference');
    };
    const id = this.f.importFrom(this.f.plan.fileOf(t.module), this.f.plan.descriptorOf(t));
    this.printed.set(ref, ex.thunk(id));
    return ref;
  };

  /** The expression of a descriptor or command info. */
  expr(value: TypeDescriptor | CommandInfo | EventTable[number]): Expr {
    return ex.data(value, (v) => this.printed.get(v));
  }

  type(t: QapiType): Expr {
    const descriptor = describeType(t, this);
    // An enum's values are the value list declared beside it.
    const list = t.kind === 'enum' ? this.f.plan.typeId(t) : undefined;
    if (descriptor.kind === 'enum' && list !== undefined) this.printed.set(descriptor.values, ex.id(list));
    return this.expr(descriptor);
  }
}

/** `export const X$: ObjectDescriptor = { ... }` for a type with a
 *  descriptor of its own. */
export function emitTypeDescriptor(f: FileBuilder, t: QapiType): void {
  if (!hasOwnDescriptor(t)) return;
  const printer = new PrintedDescriptors(f, f.plan.filter);
  const kind = t.kind === 'builtin' ? null : t.kind;
  if (kind === null) return;
  f.add({ kind: 'const', name: f.plan.descriptorOf(t), docs: [], type: f.runtimeType(DESCRIPTOR_TYPE[kind]), value: printer.type(t) });
}

/** `export const x$: CommandInfo = { ... }` for a command. */
export function emitCommandDescriptor(f: FileBuilder, c: Command, errorClasses: ReadonlySet<string>): void {
  const printer = new PrintedDescriptors(f, f.plan.filter);
  const info = describeCommand(c, errorClasses, printer);
  f.add({ kind: 'const', name: f.plan.descriptorOf(c), docs: [], type: f.runtimeType('CommandInfo'), value: printer.expr(info) });
}

/** A module's tables: its named types by QAPI name, its commands, and its
 *  events with the types of their data. */
export function emitTables(f: FileBuilder, types: readonly QapiType[], commands: readonly Command[], events: readonly Event[], ids: ModuleTables): void {
  const named = types.filter(isNamed);
  if (named.length > 0) {
    f.add({
      kind: 'const',
      name: ids.types,
      docs: docLine(fixedText('module', 'type-table')),
      type: f.runtimeType('TypeTable'),
      value: ex.array(named.map((t) => ex.array([ex.literal(t.name), ex.id(f.plan.descriptorOf(t))]))),
    });
  }
  if (commands.length > 0) {
    f.add({
      kind: 'const',
      name: ids.commands,
      docs: docLine(fixedText('module', 'command-table')),
      type: f.runtimeType('CommandTable'),
      value: ex.array(commands.map((c) => ex.id(f.plan.descriptorOf(c)))),
    });
  }
  if (events.length > 0) {
    const printer = new PrintedDescriptors(f, f.plan.filter);
    f.add({
      kind: 'const',
      name: ids.events,
      docs: docLine(fixedText('module', 'event-table')),
      type: f.runtimeType('EventTable'),
      value: ex.array(events.map((e) => printer.expr(eventRow(e, printer)))),
    });
  }
}
