/**
 * The run-time descriptors the validators read (runtime/tables.ts): for
 * every type that has one of its own (hasOwnDescriptor) and every command.
 * describeType and describeCommand build them as plain runtime values, with
 * a reference to another type made by the caller; so the same values are
 * linked into a TypeRegistry for any schema at run time (buildTables), and
 * printed into the generated modules, one declaration each, referring to
 * one another by name (emitDescriptors).
 */
import type { CommandInfo, CommandTable, EventTable, MemberDescriptor, MemberReleases, ReleaseSet, TypeDescriptor, TypeRef, TypeTable } from 'qapi-ts-runtime';
import { checkedAs } from 'qapi-ts-runtime/type-rules';
import type { Command, EnumMember, EnumType, Event, Member, ObjectType, QapiType, SchemaModel } from '../../model/types.js';
import { spanOf, type Span } from '../../span/types.js';
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
  /** For a model that spans releases: availability, carried as data. */
  readonly span: Span | undefined;
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
    case 'enum': {
      const values = t.members.filter((m) => d.filter.keeps(m));
      const releases = d.span ? valueReleases(d.span, t, values) : undefined;
      return releases ? { kind: 'enum', values: values.map((m) => m.name), releases } : { kind: 'enum', values: values.map((m) => m.name) };
    }
    case 'array':
      return { kind: 'array', element: typeRef(t.elementType, d) };
    case 'alternate':
      return { kind: 'alternate', branches: t.variants.variants.filter((v) => d.filter.keeps(v)).map((v) => typeRef(v.type, d)) };
    case 'object': {
      const members = t.members.filter((m) => d.filter.keeps(m)).map((m) => describeMember(t, m, d));
      if (!t.variants) return { kind: 'object', members };
      const within = d.span?.entity(t) ?? 0;
      const cases = t.variants.variants
        .filter((v) => d.filter.keeps(v))
        .map((v) => {
          // In a span, a case some release of the union lacks says which have it.
          const set = d.span ? d.span.variant(v).in & within : within;
          return set === within ? ([v.name, typeRef(v.type, d)] as const) : ([v.name, typeRef(v.type, d), set] as const);
        });
      return { kind: 'object', members, tag: t.variants.tagMember.name, cases };
    }
  }
}

/** A member's tuple; in a span, with what differs between its releases. */
function describeMember(t: ObjectType, m: Member, d: Describing): MemberDescriptor {
  const ref = typeRef(m.type, d);
  const releases = d.span ? memberReleases(d.span, t, m, d) : undefined;
  if (releases) return [m.name, ref, m.optional, releases];
  return m.optional ? [m.name, ref, true] : [m.name, ref];
}

/** What a member's releases say beyond its tuple, each part only where
 *  they differ within the releases of the type declaring it. */
function memberReleases(span: Span, t: ObjectType, m: Member, d: Describing): MemberReleases | undefined {
  const within = span.entity(t);
  const s = span.member(m);
  const present = s.in & within;
  const required = present & ~s.optionalIn;
  const out: { in?: ReleaseSet; requiredIn?: ReleaseSet; types?: (readonly [ReleaseSet, TypeRef])[] } = {};
  if (present !== within) out.in = present;
  // Required where present, yet optional for a caller who does not know the release.
  if (m.optional ? required !== 0 : required !== present) out.requiredIn = required;
  if (s.types.length > 1) out.types = s.types.map((x) => [x.in, typeRef(x.type!, d)] as const);
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Each value some release of the enum lacks, with the releases having it. */
function valueReleases(span: Span, t: EnumType, values: readonly EnumMember[]): (readonly [string, ReleaseSet])[] | undefined {
  const within = span.entity(t);
  const out: (readonly [string, ReleaseSet])[] = [];
  for (const v of values) {
    const set = span.value(v) & within;
    if (set !== within) out.push([v.name, set]);
  }
  return out.length === 0 ? undefined : out;
}

/** What running a command needs, and the errors its doc lists; in a span,
 *  the releases having it and what it returns by release. */
function describeCommand(c: Command, errorClasses: ReadonlySet<string>, d: Describing): CommandInfo {
  const info: CommandInfo = {
    name: c.name,
    args: c.argType ? typeRef(c.argType, d) : null,
    returns: c.retType ? typeRef(c.retType, d) : null,
    oob: c.allowOob,
    noReply: !c.successResponse,
    errors: documentedErrors(c.doc, errorClasses).map((e) => ({ condition: e.condition, documented: e.documented, errorClass: e.errorClass })),
  };
  if (!d.span) return info;
  const set = d.span.entity(c);
  const returns = d.span.returns(c);
  return {
    ...info,
    ...(set !== d.span.all ? { releases: set } : {}),
    ...(returns.length > 1 ? { returnsByRelease: returns.map((x) => [x.in, x.type === null ? null : typeRef(x.type, d)] as const) } : {}),
  };
}

/** Whether the registry lists a type by name: the types the schema names. */
function isNamed(t: QapiType): boolean {
  return t.kind === 'enum' || t.kind === 'alternate' || (t.kind === 'object' && !t.implicit);
}

/** An event's row: its name and the type of its data; in a span, the
 *  releases having it when some lack it. */
function eventRow(e: Event, d: Describing): EventTable[number] {
  const data = e.argType ? typeRef(e.argType, d) : null;
  const set = d.span?.entity(e);
  return set === undefined || set === d.span!.all ? [e.name, data] : [e.name, data, set];
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
    span: spanOf(model),
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

  readonly span: Span | undefined;

  constructor(
    private readonly f: FileBuilder,
    readonly filter: Filter,
  ) {
    this.span = f.plan.span?.span;
  }

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
