/**
 * The schema as data: the descriptors generated bindings carry (or a tool
 * builds from a schema at run time) so that the validators can check values
 * and commands.  A descriptor refers to the types it uses directly, not by
 * name: a built-in by its kind, another type through a function returning
 * its descriptor (declarations may come later, and modules may import each
 * other).  So a bundler keeps exactly the descriptors a command reaches, and
 * no table of names sits between them.  Types only, plus the exact range of
 * each integer type (from the table of built-in types).
 */
import { builtinTypes, type BuiltinKind, type IntegerKind } from './type-rules.js';

export type { BuiltinKind, IntegerKind } from './type-rules.js';

/** A type, where another refers to it: a built-in, a descriptor, or a
 *  function returning one. */
export type TypeRef = BuiltinKind | TypeDescriptor | (() => TypeDescriptor);

/** A member of an object type: wire name, type, optional. */
export type MemberDescriptor = readonly [name: string, type: TypeRef, optional?: boolean];

export interface EnumDescriptor {
  readonly kind: 'enum';
  readonly values: readonly string[];
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
  /** For unions: the tag member, and the branch type of each tag value. */
  readonly tag?: string;
  readonly cases?: readonly (readonly [value: string, type: TypeRef])[];
}

/** How one QAPI type is checked at run time. */
export type TypeDescriptor = EnumDescriptor | ArrayDescriptor | AlternateDescriptor | ObjectDescriptor;

/** An error a command's documentation lists. */
export interface DocumentedError {
  /** The condition, as the documentation states it. */
  readonly condition: string;
  /** The error class the documentation names; null when it names none (an
   *  item of an `Errors:` section that states only the condition). */
  readonly documented: string | null;
  /** The class QEMU actually sends: names outside ErrorClass arrive as GenericError. */
  readonly errorClass: string;
}

export interface CommandInfo {
  /** The command's name on the wire. */
  readonly name: string;
  /** The type of its arguments, or null when it takes none. */
  readonly args: TypeRef | null;
  /** It answers with a value (it has 'returns'). */
  readonly returns: boolean;
  /** Allowed out of band ('allow-oob'). */
  readonly oob: boolean;
  /** QEMU sends no reply ('success-response': false). */
  readonly noReply: boolean;
  readonly errors: readonly DocumentedError[];
}

/** The named types of a schema (or of one of its modules), by QAPI name. */
export type TypeTable = readonly (readonly [name: string, descriptor: TypeDescriptor])[];
/** The commands of a schema (or of one of its modules). */
export type CommandTable = readonly CommandInfo[];

/** The descriptor a reference leads to; a built-in's name for a built-in. */
export function resolveType(ref: TypeRef): TypeDescriptor | BuiltinKind {
  return typeof ref === 'function' ? ref() : ref;
}

/** The inclusive range of each integer type, exactly: a view of the table
 *  of built-in types, as it is when the runtime loads. */
export const INTEGER_RANGES: Readonly<Record<IntegerKind, readonly [min: bigint, max: bigint]>> = Object.freeze(
  Object.fromEntries(
    builtinTypes(true).flatMap(([name, info]) =>
      info.range && info.checkedAs === undefined ? [[name, Object.freeze([...info.range])]] : [],
    ),
  ) as Record<IntegerKind, readonly [bigint, bigint]>,
);
