/**
 * Turns definitions into entities: the built-in types first, then each
 * definition in order, creating the implicit types it needs (array types,
 * q_obj_NAME-arg / -base parameter and base types, q_empty) as QEMU does.
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
import type { JsonType } from './types.js';

const BUILTINS: readonly (readonly [string, JsonType])[] = [
  ['str', 'string'],
  ['number', 'number'],
  ['int', 'int'],
  ['int8', 'int'],
  ['int16', 'int'],
  ['int32', 'int'],
  ['int64', 'int'],
  ['uint8', 'int'],
  ['uint16', 'int'],
  ['uint32', 'int'],
  ['uint64', 'int'],
  ['size', 'size'],
  ['bool', 'boolean'],
  ['any', 'value'],
  ['null', 'null'],
];

/** Built-ins of the 2012 dialect: '**' (an object whose members are not
 *  checked) and 'visitor' (any value, for the qom-get/qom-set commands). */
const LEGACY_BUILTINS = ['**', 'visitor'];

const QTYPE_VALUES = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];

export class ModelBuilder {
  readonly entities: AnyEnt[] = [];
  private readonly byName = new Map<string, AnyEnt>();

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

  defineBuiltins(): void {
    for (const [name, jsonType] of BUILTINS) {
      this.add(new BuiltinEnt(name, jsonType));
      this.makeArrayType(name, { info: null, context: null });
    }
    if (this.level.legacy) for (const name of LEGACY_BUILTINS) this.add(new BuiltinEnt(name, 'value'));
    this.add(new ObjectEnt(implicitHeader('q_empty', { info: null, context: null }), 'struct', null, [], null));
    const qtype = QTYPE_VALUES.map((name) => ({ name, ifcond: null, features: [] }));
    const prefix = this.level.has('qtypeWithoutPrefix') ? null : 'QTYPE';
    this.add(new EnumEnt(implicitHeader('QType', { info: null, context: null }), qtype, prefix, true));
  }

  define(definitions: readonly SchemaDefinition[]): void {
    for (const def of definitions) {
      if (def.meta === 'include') {
        this.add(new IncludeEnt({ info: def.info, context: null }, def.path));
        continue;
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

  private makeMembers(defs: readonly MemberDef[], where: Where, definedIn: string): MemberEnt[] {
    return defs.map(
      (m) =>
        new MemberEnt(
          m.name,
          m.type.inline ? this.makeNestedObject(definedIn, m.name, m.type.inline, where) : this.typeName(m.type, where),
          m.optional,
          m.ifcond,
          m.features.map((f) => ({ name: f.name, ifcond: f.ifcond })),
          definedIn,
          'member',
          m.loc ?? null,
        ),
    );
  }

  /** The implicit type of a legacy anonymous struct member. */
  private makeNestedObject(owner: string, member: string, members: readonly MemberDef[], where: Where): string {
    const name = `q_obj_${owner}-${member}-nested`;
    if (!this.lookup(name)) {
      this.add(new ObjectEnt(implicitHeader(name, where), 'struct', null, this.makeMembers(members, where, name), null));
    }
    return name;
  }

  /** q_obj_NAME-ROLE holding inline members; null when there are none. */
  private makeImplicitObject(
    owner: string,
    role: string,
    where: Where,
    ifcond: IfCondition | null,
    members: readonly MemberDef[],
  ): string | null {
    if (members.length === 0) return null;
    const name = `q_obj_${owner}-${role}`;
    // An existing one can only come from a duplicate definition of the
    // owner, which add() reports when the owner itself is added.
    if (!(this.lookup(name) instanceof ObjectEnt)) {
      const typ = new ObjectEnt(implicitHeader(name, where, ifcond), 'struct', null, this.makeMembers(members, where, name), null);
      this.add(typ);
    }
    return name;
  }

  private defineEnum(def: EnumDef, where: Where): void {
    const members = def.values.map((v) => ({ name: v.name, ifcond: v.ifcond, features: featureList(v.features) }));
    this.add(new EnumEnt(header(def, where), members, def.prefix, false));
  }

  private defineStruct(def: StructDef, where: Where): void {
    const members = this.makeMembers(def.members, where, def.name);
    this.add(new ObjectEnt(header(def, where), 'struct', def.base, members, null));
  }

  private defineUnion(def: UnionDef, where: Where): void {
    if (def.discriminator === null) {
      this.defineSimpleUnion(def, where);
      return;
    }
    const base =
      typeof def.base === 'string' || def.base === null
        ? def.base
        : this.makeImplicitObject(def.name, 'base', where, def.ifcond, def.base);
    const variants = def.branches.map(
      (b) => new VariantEnt(b.name, this.typeName(b.type, where), b.ifcond, def.name, b.loc ?? null),
    );
    const union = new ObjectEnt(header(def, where), 'union', base, [], new VariantsEnt('flat', def.discriminator, variants, null));
    this.add(union);
  }

  /** The 2012 dialect's union without discriminator: an implicit enum of
   *  branch names as the tag 'type', each branch wrapped in 'data'. */
  private defineSimpleUnion(def: UnionDef, where: Where): void {
    const variants = def.branches.map((b) => {
      const wrapped = this.typeName(b.type, where);
      const wrapper = `q_obj_${wrapped}-wrapper`;
      if (!this.lookup(wrapper)) {
        const data = new MemberEnt('data', wrapped, false, null, [], wrapper, 'member');
        this.add(new ObjectEnt(implicitHeader(wrapper, where), 'struct', null, [data], null));
      }
      return new VariantEnt(b.name, wrapper, b.ifcond, def.name);
    });
    const kind = `${def.name}Kind`;
    const values = def.branches.map((b) => ({ name: b.name, ifcond: b.ifcond, features: [] }));
    this.add(new EnumEnt(implicitHeader(kind, where, def.ifcond), values, null, true));
    const tag = new MemberEnt('type', kind, false, null, [], def.name, 'member');
    const base = typeof def.base === 'string' ? def.base : null;
    const union = new ObjectEnt(header(def, where), 'union', base, [tag], new VariantsEnt('simple', 'type', variants, null));
    this.add(union);
  }

  private defineAlternate(def: AlternateDef, where: Where): void {
    const variants = def.branches.map(
      (b) => new VariantEnt(b.name, this.typeName(b.type, where), b.ifcond, def.name, b.loc ?? null),
    );
    const tag = new MemberEnt('type', 'QType', false, null, [], def.name, 'member');
    this.add(new AlternateEnt(header(def, where), new VariantsEnt('flat', null, variants, tag)));
  }

  private argumentType(owner: string, data: string | readonly MemberDef[] | null, where: Where, ifcond: IfCondition | null): string | null {
    if (data === null || typeof data === 'string') return data;
    return this.makeImplicitObject(owner, 'arg', where, ifcond, data);
  }

  private defineCommand(def: CommandDef, where: Where): void {
    const arg = this.argumentType(def.name, def.data, where, def.ifcond);
    const ret = def.returns ? this.typeName(def.returns, where) : null;
    const { boxed, gen, successResponse, allowOob, allowPreconfig, coroutine } = def;
    const flags = { boxed, gen, successResponse, allowOob, allowPreconfig, coroutine };
    this.add(new CommandEnt(header(def, where), arg, ret, flags));
  }

  private defineEvent(def: EventDef, where: Where): void {
    const arg = this.argumentType(def.name, def.data, where, def.ifcond);
    this.add(new EventEnt(header(def, where), arg, def.boxed));
  }
}

function header(def: Definition, where: Where): EntityHeader {
  return { name: def.name, where, ifcond: def.ifcond, features: def.features, comment: def.doc };
}

function featureList(features: readonly FeatureDef[]): { name: string; ifcond: IfCondition | null }[] {
  return features.map((f) => ({ name: f.name, ifcond: f.ifcond }));
}

