/**
 * The schema as data: the tables generated bindings carry (or a tool builds
 * from a schema at run time) so that TypeRegistry can check values and
 * commands.  Types only, plus the exact range of each integer type.
 */

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

export type IntegerKind = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

export type BuiltinKind = 'str' | 'bool' | 'number' | 'null' | 'any' | IntegerKind;

/** An error a command's documentation lists. */
export interface DocumentedError {
  /** The condition, as the documentation states it. */
  readonly condition: string;
  /** The error class the documentation names. */
  readonly documented: string;
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

const range = (min: bigint, max: bigint): readonly [min: bigint, max: bigint] => Object.freeze([min, max] as const);

/** The inclusive range of each integer type, exactly. */
export const INTEGER_RANGES: Readonly<Record<IntegerKind, readonly [min: bigint, max: bigint]>> = Object.freeze({
  int8: range(-(2n ** 7n), 2n ** 7n - 1n),
  int16: range(-(2n ** 15n), 2n ** 15n - 1n),
  int32: range(-(2n ** 31n), 2n ** 31n - 1n),
  int64: range(-(2n ** 63n), 2n ** 63n - 1n),
  uint8: range(0n, 2n ** 8n - 1n),
  uint16: range(0n, 2n ** 16n - 1n),
  uint32: range(0n, 2n ** 32n - 1n),
  uint64: range(0n, 2n ** 64n - 1n),
});
