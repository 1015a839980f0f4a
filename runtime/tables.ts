/**
 * The schema as data: the tables generated bindings carry (or a tool builds
 * from a schema at run time) so that TypeRegistry can check values and
 * commands.  Types only, plus the exact range of each integer type (from the
 * table of built-in types).
 */
import { builtinTypes, jsonKindOfType, type BuiltinKind, type Int64Mode, type IntegerKind, type JsonKind } from './type-rules.js';

export type { BuiltinKind, Int64Mode, IntegerKind } from './type-rules.js';

/** A member of an object type: wire name, QAPI type name, optional. */
export type MemberDescriptor = readonly [name: string, type: string, optional?: boolean];

/** How one QAPI type is checked at run time. */
export type TypeDescriptor =
  | { readonly kind: 'builtin'; readonly type: BuiltinKind }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly element: string }
  | { readonly kind: 'alternate'; readonly branches: readonly string[] }
  | {
      readonly kind: 'object';
      readonly members: readonly MemberDescriptor[];
      /** For unions: the tag member, and the branch type of each tag value. */
      readonly tag?: string;
      readonly cases?: readonly (readonly [value: string, type: string])[];
    };


/** The JSON kind every value of a described type has (jsonKindOfType);
 *  null for one of several kinds, or no descriptor. */
export function jsonKindOfDescriptor(d: TypeDescriptor | undefined): JsonKind | null {
  if (d === undefined) return null;
  return jsonKindOfType(d.kind === 'builtin' ? { kind: 'builtin', name: d.type } : d);
}

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
  /** QAPI name of the argument type, or null when the command takes none. */
  readonly args: string | null;
  readonly returns: string | null;
  /** Allowed out of band ('allow-oob'). */
  readonly oob: boolean;
  /** QEMU sends no reply ('success-response': false). */
  readonly noReply: boolean;
  readonly errors: readonly DocumentedError[];
}

export type TypeTable = readonly (readonly [name: string, descriptor: TypeDescriptor])[];
export type CommandTable = readonly (readonly [name: string, info: CommandInfo])[];
/** Every event and the QAPI name of its data type (null: it has no data). */
export type EventTable = readonly (readonly [name: string, data: string | null])[];

/** What a registry is told besides its tables. */
export interface RegistryOptions {
  /** How the bindings type the 64-bit integer types, so that values are
   *  read and checked to match (default `mixed`, which accepts both). */
  readonly int64?: Int64Mode;
  /** The schema's events, for reading their data. */
  readonly events?: readonly EventTable[];
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
