/**
 * The schema as data: the tables generated bindings carry (or a tool builds
 * from a schema at run time) so that TypeRegistry can check values and
 * commands.  Types only, plus the exact range of each integer type (from the
 * table of built-in types).
 */
import { builtinTypes, type BuiltinKind, type IntegerKind } from './type-rules.js';

export type { BuiltinKind, IntegerKind } from './type-rules.js';

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

/** The inclusive range of each integer type, exactly: a view of the table
 *  of built-in types, as it is when the runtime loads. */
export const INTEGER_RANGES: Readonly<Record<IntegerKind, readonly [min: bigint, max: bigint]>> = Object.freeze(
  Object.fromEntries(
    builtinTypes(true).flatMap(([name, info]) =>
      info.range && info.checkedAs === undefined ? [[name, Object.freeze([...info.range])]] : [],
    ),
  ) as Record<IntegerKind, readonly [bigint, bigint]>,
);
