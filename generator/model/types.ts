/**
 * The checked schema model: what every emitter reads.
 *
 * Entities are resolved (a member's type is the type itself, not its name)
 * and checked.  The model does not know where it came from: schema files
 * today, a live QEMU's introspection later.  It is never mutated after the
 * model stage returns it.
 */
import type { BuiltinJsonType } from 'qapi-ts-runtime/type-rules';
import type { DocArg, DocComment, DocSection } from '../doc/types.js';
import type { DefinitionContext, SourceInfo } from '../source/diagnostics.js';
import type { CommandFlags, IfCondition, SchemaDefinition } from '../common/definitions.js';

export type { IfCondition } from '../common/definitions.js';

/** How a built-in type travels in JSON (from the table of built-in types). */
export type JsonType = BuiltinJsonType;

export interface Feature {
  readonly name: string;
  readonly ifcond: IfCondition | null;
}

/** A member of an object type (or an alternate's tag). */
export interface Member {
  readonly name: string;
  readonly type: QapiType;
  readonly optional: boolean;
  readonly ifcond: IfCondition | null;
  readonly features: readonly Feature[];
  /** The name of the object type that declares it (maybe implicit). */
  readonly definedIn: string;
}

export interface EnumMember {
  readonly name: string;
  readonly ifcond: IfCondition | null;
  readonly features: readonly Feature[];
}

/** One branch of a union or alternate. */
export interface Variant {
  readonly name: string;
  readonly type: QapiType;
  readonly ifcond: IfCondition | null;
}

export interface Variants {
  /** 'flat': branches add their members beside the tag.  'simple' (the 2012
   *  dialect): the tag is the implicit 'type' and each branch's value sits
   *  in a 'data' member (its type is an implicit wrapper object). */
  readonly flavor: 'flat' | 'simple';
  readonly tagMember: Member;
  readonly variants: readonly Variant[];
}

/** A documentation comment as connected to its definition: `args` lists
 *  the documented members followed by the undocumented ones (empty text). */
export interface EntityDoc {
  readonly comment: DocComment;
  readonly args: readonly DocArg[];
  readonly features: readonly DocArg[];
  readonly sections: readonly DocSection[];
}

interface EntityCommon {
  readonly name: string;
  /** Where it is defined; null for built-ins. */
  readonly info: SourceInfo | null;
  /** The definition the info belongs to (for implicit types: their owner). */
  readonly context: DefinitionContext | null;
  /** The module (schema file) it belongs to, as QEMU names modules. */
  readonly module: string;
  readonly doc: EntityDoc | null;
  readonly ifcond: IfCondition | null;
  readonly features: readonly Feature[];
  /** The definition it was made from (for a type the model made itself:
   *  the definition that made it); null for built-in and array types.  A
   *  front end that keeps unchanged definitions between loads
   *  (frontend-cache.ts) gives the very object again, which is how a
   *  backend run again and again tells what did not change. */
  readonly definition: SchemaDefinition | null;
}

export interface BuiltinType extends EntityCommon {
  readonly kind: 'builtin';
  readonly jsonType: JsonType;
}

export interface EnumType extends EntityCommon {
  readonly kind: 'enum';
  readonly members: readonly EnumMember[];
  readonly prefix: string | null;
  /** Made by the model rather than defined in the schema: what it is for. */
  readonly role: ImplicitEnumRole | null;
  /** Whether the model made it (role is not null). */
  readonly implicit: boolean;
}

export interface ArrayType extends EntityCommon {
  readonly kind: 'array';
  readonly elementType: QapiType;
}

export interface ObjectType extends EntityCommon {
  readonly kind: 'object';
  /** 'struct' or 'union', as written; implicit types say 'struct'. */
  readonly meta: 'struct' | 'union';
  readonly base: ObjectType | null;
  readonly localMembers: readonly Member[];
  /** Base members first, then local ones. */
  readonly members: readonly Member[];
  readonly variants: Variants | null;
  /** Made by the model rather than defined in the schema: what it is for
   *  and whom it belongs to. */
  readonly role: ImplicitObjectRole | null;
  /** Whether the model made it (role is not null). */
  readonly implicit: boolean;
}

export interface AlternateType extends EntityCommon {
  readonly kind: 'alternate';
  readonly variants: Variants;
}

export interface Command extends EntityCommon, CommandFlags {
  readonly kind: 'command';
  readonly argType: ObjectType | null;
  readonly retType: QapiType | null;
}

export interface Event extends EntityCommon {
  readonly kind: 'event';
  readonly argType: ObjectType | null;
  readonly boxed: boolean;
}

export interface Include extends EntityCommon {
  readonly kind: 'include';
  /** The module the directive includes. */
  readonly included: string;
  /** That module as QEMU's front end names it here (see Module.qemuName). */
  readonly qemuName: string;
}

/**
 * What an object type the model made itself is for.  QEMU names these types
 * `q_obj_OWNER-arg`, `q_obj_OWNER-base`, `q_obj_TYPE-wrapper`,
 * `q_obj_OWNER-MEMBER-nested` and `q_empty`; those names are kept (QEMU's
 * dumps and introspection show them), but nothing reads a role from them.
 */
export type ImplicitObjectRole =
  /** The members written inline as a command's 'data'. */
  | { readonly kind: 'command-arguments'; readonly owner: Command }
  /** The members written inline as an event's 'data'. */
  | { readonly kind: 'event-data'; readonly owner: Event }
  /** The members written inline as a union's 'base'. */
  | { readonly kind: 'union-base'; readonly owner: ObjectType }
  /** The 2012 dialect's simple union branch: `{ data: BRANCH }`.  Shared by
   *  every simple union with a branch of the same type; the owner is the
   *  first of them. */
  | { readonly kind: 'branch-wrapper'; readonly owner: ObjectType }
  /** The 2012 dialect's anonymous struct written in place of a member's
   *  type: the object (maybe nested itself) and the member holding it. */
  | { readonly kind: 'nested-struct'; readonly owner: ObjectType; readonly member: string }
  /** The object without members: the branch of tag values a union names no
   *  type for. */
  | { readonly kind: 'empty-object' };

/** What an enum type the model made itself is for. */
export type ImplicitEnumRole =
  /** The 2012 dialect's simple union tag: one value per branch. */
  | { readonly kind: 'union-tag'; readonly owner: ObjectType }
  /** QType, the JSON kinds an alternate's tag tells apart. */
  | { readonly kind: 'qtype' };

export type QapiType = BuiltinType | EnumType | ArrayType | ObjectType | AlternateType;
export type Entity = QapiType | Command | Event | Include;

export interface Module {
  /** The file's path relative to the root file's directory. */
  readonly name: string;
  /** The name QEMU's front end gives it, which the dump prints: `name`,
   *  unless the schema reached the file by a path starting with './'
   *  (QEMU keeps such paths as they are, taking them for its own modules
   *  like './builtin'). */
  readonly qemuName: string;
  /** Its entities, in definition order. */
  readonly entities: readonly Entity[];
  /** Its free-form documentation (headings, overviews), in source order. */
  readonly overview: readonly DocComment[];
}

export interface SchemaModel {
  /** The built-in module first, then the root file, then included files. */
  readonly modules: readonly Module[];
  /** Every entity in definition order (built-ins first). */
  readonly entities: readonly Entity[];
  /** Every documentation comment, in source order, free-form ones included. */
  readonly docs: readonly EntityDoc[];
  lookupType(name: string): QapiType | undefined;
  lookupEntity(name: string): Entity | undefined;
}

export const BUILTIN_MODULE = './builtin';
