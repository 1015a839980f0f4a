/**
 * Definitions: each top-level expression, checked for shape and normalized.
 *
 * This is the model's input, and it is independent of where it came from:
 * a schema file (through the reader and the shape checks) or, later, a live
 * QEMU's introspection.  Shorthands are expanded ('*name' optional members,
 * string members, string features); nothing is resolved yet.  It lives
 * here, apart from the shape stage that produces it and the model stage
 * that consumes it.
 */
import type { DocComment } from '../doc/types.js';
import type { SourceInfo, SourceLocation } from '../source/diagnostics.js';

/** An 'if' condition: a configuration symbol, or all/any/not of conditions. */
export type IfCondition =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'all' | 'any'; readonly operands: readonly IfCondition[] }
  | { readonly kind: 'not'; readonly operand: IfCondition };

/** A reference to a type by name, or to an array of a named type. */
export interface TypeRef {
  readonly name: string;
  readonly array: boolean;
  /** The 2012 dialect's anonymous struct written in place of a type name;
   *  `name` is then empty and the model names an implicit type for it. */
  readonly inline?: readonly MemberDef[];
}

export interface FeatureDef {
  readonly name: string;
  readonly ifcond: IfCondition | null;
}

export interface MemberDef {
  readonly name: string;
  /** Where its key is written, when it comes from a schema file. */
  readonly loc?: SourceLocation;
  readonly optional: boolean;
  readonly type: TypeRef;
  readonly ifcond: IfCondition | null;
  readonly features: readonly FeatureDef[];
}

export interface EnumValueDef {
  readonly name: string;
  readonly ifcond: IfCondition | null;
  readonly features: readonly FeatureDef[];
}

export interface BranchDef {
  readonly name: string;
  readonly loc?: SourceLocation;
  readonly type: TypeRef;
  readonly ifcond: IfCondition | null;
}

interface DefinitionCommon {
  readonly name: string;
  readonly info: SourceInfo;
  readonly doc: DocComment | null;
  readonly ifcond: IfCondition | null;
  readonly features: readonly FeatureDef[];
}

export interface EnumDef extends DefinitionCommon {
  readonly meta: 'enum';
  readonly values: readonly EnumValueDef[];
  readonly prefix: string | null;
}

export interface StructDef extends DefinitionCommon {
  readonly meta: 'struct';
  readonly base: string | null;
  readonly members: readonly MemberDef[];
}

export interface UnionDef extends DefinitionCommon {
  readonly meta: 'union';
  /** A type name, inline members, or null for a legacy simple union. */
  readonly base: string | readonly MemberDef[] | null;
  /** Null for a legacy simple union (its tag is the implicit 'type'). */
  readonly discriminator: string | null;
  readonly branches: readonly BranchDef[];
}

export interface AlternateDef extends DefinitionCommon {
  readonly meta: 'alternate';
  readonly branches: readonly BranchDef[];
}

/** A command's flags, as the schema sets them (defaults filled in). */
export interface CommandFlags {
  readonly boxed: boolean;
  readonly gen: boolean;
  readonly successResponse: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
}

export interface CommandDef extends DefinitionCommon, CommandFlags {
  readonly meta: 'command';
  /** A type name (boxed or not), inline members, or null for none. */
  readonly data: string | readonly MemberDef[] | null;
  readonly returns: TypeRef | null;
}

export interface EventDef extends DefinitionCommon {
  readonly meta: 'event';
  readonly data: string | readonly MemberDef[] | null;
  readonly boxed: boolean;
}

export interface IncludeDef {
  readonly meta: 'include';
  /** The included file's path, joined to the including file's directory. */
  readonly path: string;
  readonly info: SourceInfo;
}

export type Definition = EnumDef | StructDef | UnionDef | AlternateDef | CommandDef | EventDef;
export type SchemaDefinition = Definition | IncludeDef;
