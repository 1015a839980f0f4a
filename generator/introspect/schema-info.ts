/**
 * query-qmp-schema's reply as qapi-ts reads it: the SchemaInfo records a
 * QEMU reports about itself, each with where it sits in the reply (their
 * shapes and their reader are the runtime's, runtime/schema-info.ts, which
 * the client's schema check reads a connected QEMU's schema with too), plus
 * the QEMU version when known.  reply.ts reads captures and replies.
 */
export type {
  AlternateInfo,
  ArrayInfo,
  BuiltinInfo,
  CommandSchemaInfo as CommandInfo,
  EnumInfo,
  EnumValueInfo,
  EventSchemaInfo as EventInfo,
  MemberInfo,
  ObjectInfo,
  SchemaInfo,
  SchemaJsonType as JsonTypeName,
  TypeSchemaInfo as TypeInfo,
  VariantInfo,
} from 'qapi-ts-runtime';
import type { SchemaInfo } from 'qapi-ts-runtime';

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

