/**
 * The model's entities while the model stage builds and checks them.
 *
 * These classes implement the read-only model interfaces; the stage fills
 * in what resolution and checking find (resolved types, all members, the
 * module), and nothing changes them after the stage returns.
 */
import type { DocComment } from '../doc/types.js';
import type { CommandFlags, FeatureDef, IfCondition, SchemaDefinition } from '../common/definitions.js';
import type { DefinitionContext, SourceInfo, SourceLocation } from '../source/diagnostics.js';
import type {
  BuiltinType,
  EntityDoc,
  EnumMember,
  Feature,
  ImplicitEnumRole,
  ImplicitObjectRole,
  JsonType,
  Member,
  QapiType,
  Variant,
  Variants,
} from './types.js';

/** Where an entity is defined: what errors about it point at. */
export interface Where {
  readonly info: SourceInfo | null;
  readonly context: DefinitionContext | null;
}

/** What every entity is made with. */
export interface EntityHeader {
  readonly name: string;
  readonly where: Where;
  readonly ifcond: IfCondition | null;
  readonly features: readonly FeatureDef[];
  /** The documentation comment written for it, before connection. */
  readonly comment: DocComment | null;
}

/** The header of an entity the generator makes (no doc, no features). */
export function implicitHeader(name: string, where: Where, ifcond: IfCondition | null = null): EntityHeader {
  return { name, where, ifcond, features: [], comment: null };
}

export abstract class EntityBase {
  // Declared and set by the constructor, not defined as class fields are:
  // a defined field is added to each new entity before the constructor
  // runs, eight steps more per entity in the interpreter a check runs in.
  declare module: string;
  declare doc: EntityDoc | null;
  /** Set by the builder (see the model's EntityCommon). */
  declare definition: SchemaDefinition | null;
  declare readonly name: string;
  declare readonly where: Where;
  declare readonly ifcond: IfCondition | null;
  declare readonly features: readonly Feature[];
  declare readonly comment: DocComment | null;

  constructor(header: EntityHeader) {
    this.module = '';
    this.doc = null;
    this.definition = null;
    this.name = header.name;
    this.where = header.where;
    this.ifcond = header.ifcond;
    this.features = header.features.map((f) => ({ name: f.name, ifcond: f.ifcond }));
    this.comment = header.comment;
  }

  get info(): SourceInfo | null {
    return this.where.info;
  }

  get context(): DefinitionContext | null {
    return this.where.context;
  }

  /** How messages name it. */
  abstract describe(): string;
}

export class BuiltinEnt extends EntityBase implements BuiltinType {
  readonly kind = 'builtin';

  constructor(
    name: string,
    readonly jsonType: JsonType,
  ) {
    super(implicitHeader(name, { info: null, context: null }));
  }

  describe(): string {
    return `built-in type '${this.name}'`;
  }
}

export class EnumEnt extends EntityBase {
  readonly kind = 'enum';

  constructor(
    header: EntityHeader,
    readonly members: readonly EnumMember[],
    readonly prefix: string | null,
    /** Set (by the builder) for an enum the model makes itself. */
    public role: ImplicitEnumRole | null = null,
  ) {
    super(header);
  }

  get implicit(): boolean {
    return this.role !== null;
  }

  describe(): string {
    return `enum type '${this.name}'`;
  }
}

export class ArrayEnt extends EntityBase {
  readonly kind = 'array';
  elementType!: QapiType;

  constructor(
    name: string,
    where: Where,
    readonly elementTypeName: string,
  ) {
    super(implicitHeader(name, where));
  }

  describe(): string {
    return `array type ['${this.elementTypeName}']`;
  }
}

/** A member as declared, before its type is resolved. */
export class MemberEnt implements Member {
  type!: QapiType;

  constructor(
    readonly name: string,
    readonly typeName: string,
    readonly optional: boolean,
    readonly ifcond: IfCondition | null,
    readonly features: readonly Feature[],
    readonly definedIn: string,
    /** What the type that declares it is for, when the model made it. */
    readonly definedInRole: ImplicitObjectRole['kind'] | null,
    /** 'member', or 'branch' for a variant. */
    readonly role: string,
    /** Where it is written, when it comes from a schema file. */
    readonly loc: SourceLocation | null = null,
  ) {}
}

export class VariantEnt implements Variant {
  type!: QapiType;

  constructor(
    readonly name: string,
    readonly typeName: string,
    readonly ifcond: IfCondition | null,
    readonly definedIn: string,
    readonly loc: SourceLocation | null = null,
    /** What the type that declares it is for, when the model made it. */
    readonly definedInRole: ImplicitObjectRole['kind'] | null = null,
  ) {}
}

export class VariantsEnt implements Variants {
  tagMember!: MemberEnt;

  constructor(
    readonly flavor: 'flat' | 'simple',
    /** The discriminator's name, for unions; null for alternates. */
    readonly tagName: string | null,
    readonly variants: VariantEnt[],
    tagMember: MemberEnt | null,
  ) {
    if (tagMember) this.tagMember = tagMember;
  }
}

export type CheckState = 'unchecked' | 'checking' | 'done' | 'broken';

export class ObjectEnt extends EntityBase {
  readonly kind = 'object';
  base: ObjectEnt | null = null;
  members: readonly MemberEnt[] = [];
  state: CheckState = 'unchecked';
  /** Set by the builder for an object the model makes itself. */
  role: ImplicitObjectRole | null = null;

  constructor(
    header: EntityHeader,
    readonly meta: 'struct' | 'union',
    readonly baseName: string | null,
    readonly localMembers: readonly MemberEnt[],
    readonly variants: VariantsEnt | null,
  ) {
    super(header);
  }

  get implicit(): boolean {
    return this.role !== null;
  }

  describe(): string {
    return `${this.meta} type '${this.name}'`;
  }
}

export class AlternateEnt extends EntityBase {
  readonly kind = 'alternate';

  constructor(
    header: EntityHeader,
    readonly variants: VariantsEnt,
  ) {
    super(header);
  }

  describe(): string {
    return `alternate type '${this.name}'`;
  }
}

export class CommandEnt extends EntityBase {
  readonly kind = 'command';
  argType: ObjectEnt | null = null;
  retType: QapiType | null = null;

  constructor(
    header: EntityHeader,
    readonly argTypeName: string | null,
    readonly retTypeName: string | null,
    readonly flags: CommandFlags,
  ) {
    super(header);
  }

  get boxed(): boolean {
    return this.flags.boxed;
  }
  get gen(): boolean {
    return this.flags.gen;
  }
  get successResponse(): boolean {
    return this.flags.successResponse;
  }
  get allowOob(): boolean {
    return this.flags.allowOob;
  }
  get allowPreconfig(): boolean {
    return this.flags.allowPreconfig;
  }
  get coroutine(): boolean {
    return this.flags.coroutine;
  }

  describe(): string {
    return `command '${this.name}'`;
  }
}

export class EventEnt extends EntityBase {
  readonly kind = 'event';
  argType: ObjectEnt | null = null;

  constructor(
    header: EntityHeader,
    readonly argTypeName: string | null,
    readonly boxed: boolean,
  ) {
    super(header);
  }

  describe(): string {
    return `event '${this.name}'`;
  }
}

export class IncludeEnt extends EntityBase {
  readonly kind = 'include';
  /** The included module's name, assigned with modules. */
  included = '';
  /** That module as QEMU names it here, assigned with modules. */
  qemuName = '';

  constructor(
    where: Where,
    /** The included file's path, joined to the including file's directory. */
    readonly path: string,
  ) {
    super(implicitHeader('', where));
  }

  describe(): string {
    return `include of '${this.path}'`;
  }
}

export type AnyEnt = BuiltinEnt | EnumEnt | ArrayEnt | ObjectEnt | AlternateEnt | CommandEnt | EventEnt | IncludeEnt;
export type TypeEnt = BuiltinEnt | EnumEnt | ArrayEnt | ObjectEnt | AlternateEnt;

export function isTypeEnt(e: AnyEnt): e is TypeEnt {
  return e.kind !== 'command' && e.kind !== 'event' && e.kind !== 'include';
}
