/**
 * Turns definitions into entities: the built-in types first, then each
 * definition in order, creating the implicit types it needs (array types,
 * q_obj_NAME-arg / -base parameter and base types, q_empty) as QEMU does,
 * named as QEMU names them.  Each implicit type records its role and owner
 * here, where they are known; nothing later reads them back from the name.
 * Redefinitions are reported here, before any check runs.
 */
import type {
  AlternateDef,
  CommandDef,
  Definition,
  EnumDef,
  EventDef,
  FeatureDef,
  IfCondition,
  MemberDef,
  SchemaDefinition,
  StructDef,
  TypeRef,
  UnionDef,
} from '../common/definitions.js';
import { errorAt, noteAt, type DiagnosticSink } from '../source/diagnostics.js';
import type { LanguageLevel } from '../source/language.js';
import {
  AlternateEnt,
  ArrayEnt,
  BuiltinEnt,
  CommandEnt,
  EnumEnt,
  EventEnt,
  IncludeEnt,
  MemberEnt,
  ObjectEnt,
  VariantEnt,
  VariantsEnt,
  implicitHeader,
  isTypeEnt,
  type AnyEnt,
  type EntityHeader,
  type TypeEnt,
  type Where,
} from './entities.js';
import { builtinTypes } from 'qapi-ts-runtime/type-rules';
import type { ImplicitObjectRole } from './types.js';

const QTYPE_VALUES = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];

/** The name QEMU gives the object type without members. */
export const EMPTY_OBJECT = 'q_empty';

export class ModelBuilder {
  readonly entities: AnyEnt[] = [];
  private readonly byName = new Map<string, AnyEnt>();
  /** The anonymous struct each member holds, until its holder adopts it. */
  private readonly nestedOf = new Map<MemberEnt, ObjectEnt>();
  /** The definition being defined: what the entities made now are made from. */
  private current: SchemaDefinition | null = null;

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly level: LanguageLevel,
  ) {}

  lookup(name: string): AnyEnt | undefined {
    return this.byName.get(name);
  }

  lookupType(name: string): TypeEnt | undefined {
    const ent = this.byName.get(name);
    return ent && isTypeEnt(ent) ? ent : undefined;
  }

  /** Defines the built-in types; a model read from QEMU's introspection
   *  has its integer of unknown width too. */
  defineBuiltins(introspection = false): void {
    // The one table of built-in types; the 2012 dialect's own have no arrays.
    for (const [name, info] of builtinTypes({ legacy: this.level.has('starStarAndVisitorTypes'), introspection })) {
      this.add(new BuiltinEnt(name, info.json));
      if (!info.legacyOnly) this.makeArrayType(name, { info: null, context: null });
    }
    const empty = new ObjectEnt(implicitHeader(EMPTY_OBJECT, { info: null, context: null }), 'struct', null, [], null);
    empty.role = { kind: 'empty-object' };
    this.add(empty);
    const qtype = QTYPE_VALUES.map((name) => ({ name, ifcond: null, features: [] }));
    const prefix = this.level.has('qtypeWithoutPrefix') ? null : 'QTYPE';
    this.add(new EnumEnt(implicitHeader('QType', { info: null, context: null }), qtype, prefix, { kind: 'qtype' }));
  }

  define(definitions: readonly SchemaDefinition[]): void {
    for (const def of definitions) {
      this.current = def;
      this.defineOne(def);
    }
    this.current = null;
  }

  private defineOne(def: SchemaDefinition): void {
    if (def.meta === 'include') {
      this.add(new IncludeEnt({ info: def.info, context: null }, def.path));
      return;
    }
    const where: Where = { info: def.info, context: { meta: def.meta, name: def.name } };
    switch (def.meta) {
      case 'enum':
        this.defineEnum(def, where);
        break;
      case 'struct':
        this.defineStruct(def, where);
        break;
      case 'union':
        this.defineUnion(def, where);
        break;
      case 'alternate':
        this.defineAlternate(def, where);
        break;
      case 'command':
        this.defineCommand(def, where);
        break;
      case 'event':
        this.defineEvent(def, where);
        break;
    }
  }

  /** Registers an entity, refusing a second definition of a name. */
  private add(ent: AnyEnt): void {
    if (ent.name !== '') {
      const other = this.byName.get(ent.name);
      if (other) {
        const where = ent.where;
        if (other.info) {
          const previous = noteAt(other.info, 'the first definition is here', other.context ?? undefined);
          this.sink.report(
            errorAt(where.info ?? undefined, `'${ent.name}' is defined a second time`, where.context ?? undefined, [previous]),
          );
        } else {
          this.sink.error(
            where.info ?? undefined,
            `'${ent.name}' is the name of the ${other.describe()}, which cannot be defined again`,
            where.context ?? undefined,
          );
        }
        return;
      }
      this.byName.set(ent.name, ent);
    }
    // An array type is its element type's, whoever used it first.
    if (!(ent instanceof ArrayEnt)) ent.definition = this.current;
    this.entities.push(ent);
  }

  /** The array type of `element`, defined on first use. */
  private makeArrayType(element: string, where: Where): string {
    const name = `${element}List`;
    if (!this.lookupType(name)) this.add(new ArrayEnt(name, where, element));
    return name;
  }

  private typeName(ref: TypeRef, where: Where): string {
    return ref.array ? this.makeArrayType(ref.name, where) : ref.name;
  }

  private makeMembers(
    defs: readonly MemberDef[],
    where: Where,
    definedIn: string,
    definedInRole: ImplicitObjectRole['kind'] | null,
  ): MemberEnt[] {
    return defs.map((m) => {
      const nested = m.type.inline ? this.makeNestedObject(definedIn, m.name, m.type.inline, where) : null;
      const member = new MemberEnt(
        m.name,
        nested ? nested.name : this.typeName(m.type, where),
        m.optional,
        m.ifcond,
        m.features.map((f) => ({ name: f.name, ifcond: f.ifcond })),
        definedIn,
        definedInRole,
        'member',
        m.loc ?? null,
      );
      if (nested) this.nestedOf.set(member, nested);
      return member;
    });
  }

  /** Records `holder` as the owner of the anonymous structs its members
   *  hold (known only once the holder exists). */
  private adoptNested(holder: ObjectEnt): ObjectEnt {
    // Only the 2012 dialect has anonymous structs.
    if (this.nestedOf.size === 0) return holder;
    for (const m of holder.localMembers) {
      const nested = this.nestedOf.get(m);
      if (nested) nested.role = { kind: 'nested-struct', owner: holder, member: m.name };
    }
    return holder;
  }

  /** The implicit type of an anonymous struct member (the 2012 dialect). */
  private makeNestedObject(owner: string, member: string, members: readonly MemberDef[], where: Where): ObjectEnt {
    const name = `q_obj_${owner}-${member}-nested`;
    const existing = this.lookup(name);
    if (existing instanceof ObjectEnt) return existing;
    const typ = new ObjectEnt(implicitHeader(name, where), 'struct', null, this.makeMembers(members, where, name, 'nested-struct'), null);
    this.add(this.adoptNested(typ));
    return typ;
  }

  /** q_obj_OWNER-SUFFIX holding inline members; null when there are none.
   *  The caller sets its role once the owner exists. */
  private makeImplicitObject(
    owner: string,
    suffix: 'arg' | 'base',
    roleKind: ImplicitObjectRole['kind'],
    where: Where,
    ifcond: IfCondition | null,
    members: readonly MemberDef[],
  ): ObjectEnt | null {
    if (members.length === 0) return null;
    const name = `q_obj_${owner}-${suffix}`;
    // An existing one can only come from a duplicate definition of the
    // owner, which add() reports when the owner itself is added.
    const existing = this.lookup(name);
    if (existing instanceof ObjectEnt) return existing;
    const typ = new ObjectEnt(implicitHeader(name, where, ifcond), 'struct', null, this.makeMembers(members, where, name, roleKind), null);
    this.add(this.adoptNested(typ));
    return typ;
  }

  private defineEnum(def: EnumDef, where: Where): void {
    const members = def.values.map((v) => ({ name: v.name, ifcond: v.ifcond, features: featureList(v.features) }));
    this.add(new EnumEnt(header(def, where), members, def.prefix));
  }

  private defineStruct(def: StructDef, where: Where): void {
    const members = this.makeMembers(def.members, where, def.name, null);
    this.add(this.adoptNested(new ObjectEnt(header(def, where), 'struct', def.base, members, null)));
  }

  private defineUnion(def: UnionDef, where: Where): void {
    if (def.discriminator === null) {
      this.defineSimpleUnion(def, where);
      return;
    }
    const inlineBase =
      typeof def.base === 'string' || def.base === null
        ? null
        : this.makeImplicitObject(def.name, 'base', 'union-base', where, def.ifcond, def.base);
    const base = typeof def.base === 'string' ? def.base : (inlineBase?.name ?? null);
    const variants = def.branches.map(
      (b) => new VariantEnt(b.name, this.typeName(b.type, where), b.ifcond, def.name, b.loc ?? null),
    );
    const union = new ObjectEnt(header(def, where), 'union', base, [], new VariantsEnt('flat', def.discriminator, variants, null));
    if (inlineBase) inlineBase.role = { kind: 'union-base', owner: union };
    this.add(union);
  }

  /** The 2012 dialect's union without discriminator: an implicit enum of
   *  branch names as the tag 'type', each branch wrapped in 'data'. */
  private defineSimpleUnion(def: UnionDef, where: Where): void {
    const newWrappers: ObjectEnt[] = [];
    const variants = def.branches.map((b) => {
      const wrapped = this.typeName(b.type, where);
      const wrapper = `q_obj_${wrapped}-wrapper`;
      if (!this.lookup(wrapper)) {
        const data = new MemberEnt('data', wrapped, false, null, [], wrapper, 'branch-wrapper', 'member');
        const typ = new ObjectEnt(implicitHeader(wrapper, where), 'struct', null, [data], null);
        newWrappers.push(typ);
        this.add(typ);
      }
      return new VariantEnt(b.name, wrapper, b.ifcond, def.name);
    });
    const kind = `${def.name}Kind`;
    const values = def.branches.map((b) => ({ name: b.name, ifcond: b.ifcond, features: [] }));
    const tagEnum = new EnumEnt(implicitHeader(kind, where, def.ifcond), values, null);
    this.add(tagEnum);
    const tag = new MemberEnt('type', kind, false, null, [], def.name, null, 'member');
    const base = typeof def.base === 'string' ? def.base : null;
    const union = new ObjectEnt(header(def, where), 'union', base, [tag], new VariantsEnt('simple', 'type', variants, null));
    tagEnum.role = { kind: 'union-tag', owner: union };
    for (const w of newWrappers) w.role = { kind: 'branch-wrapper', owner: union };
    this.add(union);
  }

  private defineAlternate(def: AlternateDef, where: Where): void {
    const variants = def.branches.map(
      (b) => new VariantEnt(b.name, this.typeName(b.type, where), b.ifcond, def.name, b.loc ?? null),
    );
    const tag = new MemberEnt('type', 'QType', false, null, [], def.name, null, 'member');
    this.add(new AlternateEnt(header(def, where), new VariantsEnt('flat', null, variants, tag)));
  }

  /** The inline 'data' of a command or event as an implicit object. */
  private inlineArguments(def: CommandDef | EventDef, where: Where, roleKind: 'command-arguments' | 'event-data'): ObjectEnt | null {
    return typeof def.data === 'string' || def.data === null
      ? null
      : this.makeImplicitObject(def.name, 'arg', roleKind, where, def.ifcond, def.data);
  }

  private argumentTypeName(def: CommandDef | EventDef, inline: ObjectEnt | null): string | null {
    return typeof def.data === 'string' ? def.data : (inline?.name ?? null);
  }

  private defineCommand(def: CommandDef, where: Where): void {
    const inline = this.inlineArguments(def, where, 'command-arguments');
    const ret = def.returns ? this.typeName(def.returns, where) : null;
    const { boxed, gen, successResponse, allowOob, allowPreconfig, coroutine } = def;
    const flags = { boxed, gen, successResponse, allowOob, allowPreconfig, coroutine };
    const command = new CommandEnt(header(def, where), this.argumentTypeName(def, inline), ret, flags);
    if (inline) inline.role = { kind: 'command-arguments', owner: command };
    this.add(command);
  }

  private defineEvent(def: EventDef, where: Where): void {
    const inline = this.inlineArguments(def, where, 'event-data');
    const event = new EventEnt(header(def, where), this.argumentTypeName(def, inline), def.boxed);
    if (inline) inline.role = { kind: 'event-data', owner: event };
    this.add(event);
  }
}

function header(def: Definition, where: Where): EntityHeader {
  return { name: def.name, where, ifcond: def.ifcond, features: def.features, comment: def.doc };
}

function featureList(features: readonly FeatureDef[]): { name: string; ifcond: IfCondition | null }[] {
  return features.map((f) => ({ name: f.name, ifcond: f.ifcond }));
}

