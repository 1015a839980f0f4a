/**
 * The schema as data: the descriptors generated bindings carry (or a tool
 * builds from a schema at run time) so that the validators can check values
 * and commands, and replies and events can be read as the bindings type
 * them.  A descriptor refers to the types it uses directly, not by name: a
 * built-in by its kind, another type through a function returning its
 * descriptor (declarations may come later, and modules may import each
 * other).  So a bundler keeps exactly the descriptors a command reaches,
 * and no table of names sits between them.  Tables written with names (a
 * QEMU's query-qmp-schema, tests) are linked first (linkNamedTables).
 * Types only, plus the exact range of each integer type (from the table of
 * built-in types).
 */
import { builtinTypes, checkedAs, findBuiltinType, jsonKindOfType, type BuiltinKind, type Int64Mode, type IntegerKind, type JsonKind } from './type-rules.js';

export type { BuiltinKind, Int64Mode, IntegerKind } from './type-rules.js';

/** A type, where another refers to it: a built-in, a descriptor, or a
 *  function returning one. */
export type TypeRef = BuiltinKind | TypeDescriptor | (() => TypeDescriptor);

/** The releases a set of bindings spans, oldest first (a generated
 *  `span` constant).  Bit i of every release set is `releases[i]`. */
export interface SpanInfo<R extends string = string> {
  readonly releases: readonly R[];
}

/** A set of the releases of a span (bindings generated for several QEMU
 *  releases): bit i stands for `SpanInfo.releases[i]`. */
export type ReleaseSet = number;

/** What a member of bindings that span releases says about them; each
 *  field absent when it holds for every release. */
export interface MemberReleases {
  /** The releases that have it. */
  readonly in?: ReleaseSet;
  /** The releases that require it (it is `optional` as the tuple says for
   *  a caller who does not know the release). */
  readonly requiredIn?: ReleaseSet;
  /** Its type by release, where releases differ (the tuple's type is the
   *  newest release's). */
  readonly types?: readonly (readonly [releases: ReleaseSet, type: TypeRef])[];
}

/** A member of an object type: wire name, type, optional; in bindings
 *  that span releases, what differs between them. */
export type MemberDescriptor = readonly [name: string, type: TypeRef, optional?: boolean, releases?: MemberReleases];

export interface EnumDescriptor {
  readonly kind: 'enum';
  readonly values: readonly string[];
  /** In bindings that span releases: each value some release lacks, with
   *  the releases that have it (pairs, not a record: a value may be named
   *  `__proto__`). */
  readonly releases?: readonly (readonly [value: string, releases: ReleaseSet])[];
}

export interface ArrayDescriptor {
  readonly kind: 'array';
  readonly element: TypeRef;
}

export interface AlternateDescriptor {
  readonly kind: 'alternate';
  readonly branches: readonly TypeRef[];
}

export interface ObjectDescriptor {
  readonly kind: 'object';
  /** Every member, inherited ones included. */
  readonly members: readonly MemberDescriptor[];
  /** For unions: the tag member, and the branch type of each tag value;
   *  in bindings that span releases, the releases having a case when some
   *  release of the type lacks it (there it was no union, or had no such
   *  case). */
  readonly tag?: string;
  readonly cases?: readonly (readonly [value: string, type: TypeRef, releases?: ReleaseSet])[];
}

/** How one QAPI type is checked at run time. */
export type TypeDescriptor = EnumDescriptor | ArrayDescriptor | AlternateDescriptor | ObjectDescriptor;

/** Whether a set holds the release at `index`. */
export function inRelease(set: ReleaseSet, index: number): boolean {
  return (set & (1 << index)) !== 0;
}

/** The releases having an enum value; undefined when every release of the
 *  enum does. */
export function valueReleases(d: EnumDescriptor, value: string): ReleaseSet | undefined {
  return d.releases?.find(([v]) => v === value)?.[1];
}

/** A union's case for a tag value, in a release (-1: not known, any). */
export function caseIn(d: ObjectDescriptor, tag: unknown, release: number): TypeRef | undefined {
  const found = d.cases?.find(([v]) => v === tag);
  if (found === undefined) return undefined;
  return release < 0 || found[2] === undefined || inRelease(found[2], release) ? found[1] : undefined;
}

/** The type of a member in a release (-1: not known, the tuple's). */
export function memberTypeIn(member: MemberDescriptor, release: number): TypeRef {
  const types = member[3]?.types;
  if (types === undefined || release < 0) return member[1];
  return types.find(([set]) => inRelease(set, release))?.[1] ?? member[1];
}

/** What a command returns in a release (-1: not known, the newest's). */
export function returnsIn(command: CommandInfo, release: number): TypeRef | null {
  if (command.returnsByRelease === undefined || release < 0) return command.returns;
  const found = command.returnsByRelease.find(([set]) => inRelease(set, release));
  return found === undefined ? command.returns : found[1];
}

/** The descriptor a reference leads to; a built-in's kind for a built-in. */
export function resolveType(ref: TypeRef): TypeDescriptor | BuiltinKind {
  return typeof ref === 'function' ? ref() : ref;
}

/** The JSON kind every value of a type has (jsonKindOfType); null for one
 *  of several kinds, or no type. */
export function jsonKindOfRef(ref: TypeRef | undefined): JsonKind | null {
  if (ref === undefined) return null;
  const d = resolveType(ref);
  return jsonKindOfType(typeof d === 'string' ? { kind: 'builtin', name: d } : d);
}

/** An error a command's documentation lists. */
export interface DocumentedError {
  /** The condition, as the documentation states it. */
  readonly condition: string;
  /** The error class the documentation names; null when it names none (an
   *  item of an `Errors:` section that only says when). */
  readonly documented: string | null;
  /** The class QEMU actually sends: names outside the error class enum, and
   *  items naming none, arrive as GenericError. */
  readonly errorClass: string;
}

export interface CommandInfo {
  /** The command's name on the wire. */
  readonly name: string;
  /** The type of its arguments, or null when it takes none. */
  readonly args: TypeRef | null;
  /** The type of what it returns, or null when it returns nothing. */
  readonly returns: TypeRef | null;
  /** Allowed out of band ('allow-oob'). */
  readonly oob: boolean;
  /** QEMU sends no reply ('success-response': false). */
  readonly noReply: boolean;
  readonly errors: readonly DocumentedError[];
  /** In bindings that span releases: the releases that have it, when some
   *  release lacks it. */
  readonly releases?: ReleaseSet;
  /** In bindings that span releases: what it returns by release, where
   *  releases differ (null: nothing); `returns` is the newest release's. */
  readonly returnsByRelease?: readonly (readonly [releases: ReleaseSet, type: TypeRef | null])[];
}

/** The named types of a schema (or of one of its modules), by QAPI name. */
export type TypeTable = readonly (readonly [name: string, descriptor: TypeDescriptor])[];
/** The commands of a schema (or of one of its modules). */
export type CommandTable = readonly CommandInfo[];
/** Every event and the type of its data (null: it has no data); in
 *  bindings that span releases, the releases having it when some lack it. */
export type EventTable = readonly (readonly [name: string, data: TypeRef | null, releases?: ReleaseSet])[];

/** What a registry is told besides its tables. */
export interface RegistryOptions {
  /** How the bindings type the 64-bit integer types, so that values are
   *  read and checked to match (default `mixed`, which accepts both). */
  readonly int64?: Int64Mode;
  /** The schema's events, for reading their data. */
  readonly events?: readonly EventTable[];
  /** Bindings that span releases: the releases, oldest first. */
  readonly span?: SpanInfo;
}

/** A descriptor written with the names of the types it uses (a built-in
 *  is a type of its own, named as it is checked). */
export type NamedDescriptor =
  | { readonly kind: 'builtin'; readonly type: BuiltinKind }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly element: string }
  | { readonly kind: 'alternate'; readonly branches: readonly string[] }
  | {
      readonly kind: 'object';
      readonly members: readonly (readonly [name: string, type: string, optional?: boolean])[];
      readonly tag?: string;
      readonly cases?: readonly (readonly [value: string, type: string])[];
    };

/** Tables written with names, as QEMU's query-qmp-schema is. */
export interface NamedTables {
  readonly types: readonly (readonly [name: string, descriptor: NamedDescriptor])[];
  readonly commands: readonly (readonly [name: string, info: { readonly args: string | null; readonly returns: string | null; readonly oob: boolean; readonly noReply: boolean; readonly errors?: readonly DocumentedError[] }])[];
  readonly events?: readonly (readonly [name: string, data: string | null])[];
}

/** Tables whose descriptors refer to one another, as registries take them. */
export interface LinkedTables {
  readonly types: TypeTable;
  readonly commands: CommandTable;
  readonly events: EventTable;
}

/**
 * Links tables written with names into references.  A name refers to the
 * type of that name; a built-in may also be named by its kind without a
 * type of its own.  A name nothing defines is an error, when the link is
 * followed.
 */
export function linkNamedTables(named: NamedTables): LinkedTables {
  const byName = new Map(named.types);
  const linked = new Map<string, TypeDescriptor>();
  const ref = (name: string): TypeRef => {
    const d = byName.get(name);
    if (d === undefined) {
      if (findBuiltinType(name) !== undefined) return checkedAs(name);
      return () => {
        throw new Error(`type '${name}' is not defined`);
      };
    }
    return d.kind === 'builtin' ? d.type : () => descriptor(name, d as Exclude<NamedDescriptor, { kind: 'builtin' }>);
  };
  const descriptor = (name: string, d: Exclude<NamedDescriptor, { kind: 'builtin' }>): TypeDescriptor => {
    let made = linked.get(name);
    if (made === undefined) {
      made = link(d);
      linked.set(name, made);
    }
    return made;
  };
  const link = (d: Exclude<NamedDescriptor, { kind: 'builtin' }>): TypeDescriptor => {
    switch (d.kind) {
      case 'enum':
        return d;
      case 'array':
        return { kind: 'array', element: ref(d.element) };
      case 'alternate':
        return { kind: 'alternate', branches: d.branches.map(ref) };
      case 'object': {
        const members = d.members.map(([n, t, o]): MemberDescriptor => (o === undefined ? [n, ref(t)] : [n, ref(t), o]));
        if (d.tag === undefined) return { kind: 'object', members };
        return { kind: 'object', members, tag: d.tag, cases: (d.cases ?? []).map(([v, t]) => [v, ref(t)] as const) };
      }
    }
  };
  const types: [string, TypeDescriptor][] = [];
  for (const [name, d] of named.types) if (d.kind !== 'builtin') types.push([name, descriptor(name, d)]);
  const commands = named.commands.map(([name, info]): CommandInfo => ({
    name,
    args: info.args === null ? null : ref(info.args),
    returns: info.returns === null ? null : ref(info.returns),
    oob: info.oob,
    noReply: info.noReply,
    errors: info.errors ?? [],
  }));
  const events = (named.events ?? []).map(([name, data]) => [name, data === null ? null : ref(data)] as const);
  return { types, commands, events };
}

/** The inclusive range of each integer type, exactly: a view of the table
 *  of built-in types, as it is when the runtime loads. */
export const INTEGER_RANGES: Readonly<Record<IntegerKind, readonly [min: bigint, max: bigint]>> = Object.freeze(
  Object.fromEntries(
    builtinTypes({ legacy: true, introspection: true }).flatMap(([name, info]) =>
      info.range && info.checkedAs === undefined ? [[name, Object.freeze([...info.range])]] : [],
    ),
  ) as Record<IntegerKind, readonly [bigint, bigint]>,
);
