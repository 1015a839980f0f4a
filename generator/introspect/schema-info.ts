/**
 * query-qmp-schema's reply as qapi-ts reads it: the SchemaInfo records a
 * QEMU reports about itself (its qapi/introspect.json describes them), each
 * with where it sits in the reply, plus the QEMU version when known.
 * reply.ts reads and checks them.
 */

export type JsonTypeName = 'string' | 'number' | 'int' | 'boolean' | 'null' | 'value';

export interface InfoCommon {
  readonly name: string;
  readonly features: readonly string[];
  /** Where it sits in the reply: `schema[12]`. */
  readonly path: string;
}

export interface BuiltinInfo extends InfoCommon {
  readonly metaType: 'builtin';
  readonly jsonType: JsonTypeName;
}

export interface EnumValueInfo {
  readonly name: string;
  readonly features: readonly string[];
}

export interface EnumInfo extends InfoCommon {
  readonly metaType: 'enum';
  readonly values: readonly EnumValueInfo[];
}

export interface ArrayInfo extends InfoCommon {
  readonly metaType: 'array';
  readonly elementType: string;
}

export interface MemberInfo {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly features: readonly string[];
}

export interface VariantInfo {
  readonly case: string;
  readonly type: string;
}

export interface ObjectInfo extends InfoCommon {
  readonly metaType: 'object';
  /** Every member, a base's first: introspection flattens bases. */
  readonly members: readonly MemberInfo[];
  readonly tag: string | null;
  readonly variants: readonly VariantInfo[];
}

export interface AlternateInfo extends InfoCommon {
  readonly metaType: 'alternate';
  /** The branch types; introspection does not name branches. */
  readonly members: readonly string[];
}

export interface CommandInfo extends InfoCommon {
  readonly metaType: 'command';
  readonly argType: string;
  readonly retType: string;
  readonly allowOob: boolean;
}

export interface EventInfo extends InfoCommon {
  readonly metaType: 'event';
  readonly argType: string;
}

export type TypeInfo = BuiltinInfo | EnumInfo | ArrayInfo | ObjectInfo | AlternateInfo;
export type SchemaInfo = TypeInfo | CommandInfo | EventInfo;

export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  readonly package: string;
}

export interface Introspection {
  /** What it was read from (a file, or a binary), for messages and headers. */
  readonly source: string;
  readonly version: QemuVersion | null;
  /** In the order QEMU reported them. */
  readonly entities: readonly SchemaInfo[];
}

export function versionText(v: QemuVersion): string {
  return `${v.major}.${v.minor}.${v.micro}`;
}

