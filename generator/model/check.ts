/**
 * Checks that need the whole schema: type references resolve, bases are
 * structs, members don't clash (also through bases and branches), union
 * branches match their tag enum, alternates can tell their branches apart,
 * command and event arguments and returns are of allowed types.
 *
 * Each entity is checked in definition order; a failed entity is marked
 * broken, and entities that need it are skipped rather than reported again.
 */
import type { SourceLocation } from '../source/diagnostics.js';
import { cName } from '../common/names.js';
import type { Pragma } from '../common/pragma.js';
import type { LanguageLevel } from '../source/language.js';
import {
  AlternateEnt,
  ArrayEnt,
  CommandEnt,
  EnumEnt,
  EventEnt,
  MemberEnt,
  ObjectEnt,
  VariantEnt,
  type AnyEnt,
  type TypeEnt,
  type Where,
} from './entities.js';
import { jsonKindOfType, type JsonKind } from 'qapi-ts-runtime/type-rules';
import { EMPTY_OBJECT } from './builder.js';
import type { ImplicitObjectRole } from './types.js';

/** A check failed: report `message` at `where`. */
export class ModelError extends Error {
  constructor(
    readonly where: Where,
    message: string,
    /** The member or branch at fault, when its place is known. */
    readonly at: SourceLocation | null = null,
  ) {
    super(message);
  }
}

/** The entity depends on one that already failed: report nothing more. */
export class BrokenDependency extends Error {}

export interface CheckContext {
  lookupType(name: string): TypeEnt | undefined;
  readonly pragma: Pragma;
  readonly level: LanguageLevel;
}

/** How clash messages name a member: by role, and by where it comes from
 *  when that is not the definition being checked (an implicit type belongs
 *  to the definition, so it is not named). */
function describeMember(item: Clashable, where: Where): string {
  const { name, definedIn, definedInRole } = item;
  let role = item.role;
  if (definedInRole !== undefined && definedInRole !== null) {
    if (definedInRole === 'command-arguments' || definedInRole === 'event-data') role = 'parameter';
    else if (definedInRole === 'union-base') role = `base ${role}`;
    return `${role} '${name}'`;
  }
  if (definedIn !== where.context?.name) return `${role} '${name}' of type '${definedIn}'`;
  return `${role} '${name}'`;
}

/** A member or branch as messages name it. */
function asClashable(m: MemberEnt | VariantEnt, role: string): Clashable {
  return { name: m.name, role, definedIn: m.definedIn, definedInRole: m.definedInRole };
}

interface Clashable {
  readonly name: string;
  readonly role: string;
  readonly definedIn: string;
  /** What the declaring type is for, when the model made it. */
  readonly definedInRole?: ImplicitObjectRole['kind'] | null;
  readonly loc?: SourceLocation | null;
}

/**
 * The names taken so far where a name is being checked, by C name.  A
 * union's branch sees the names around it (its base's) and its own, and
 * no other branch's: a scope of its own over the union's, instead of a
 * copy of it for each branch.  The checks below run mostly in V8's
 * interpreter (a short run), and loop by index: for-of makes an iterator
 * result for each step there.
 */
class Seen {
  private readonly names = new Map<string, Clashable>();

  constructor(private readonly outer: Seen | null = null) {}

  get(key: string): Clashable | undefined {
    return this.names.get(key) ?? this.outer?.get(key);
  }

  set(key: string, item: Clashable): void {
    this.names.set(key, item);
  }
}

function checkClash(item: Clashable, where: Where, seen: Seen): void {
  const key = cName(item.name);
  const other = seen.get(key);
  if (other) {
    throw new ModelError(
      where,
      `${describeMember(item, where)} clashes with ${describeMember(other, where)}: both become the same C name`,
      item.loc ?? null,
    );
  }
  seen.set(key, item);
}

/** The type `name` names; `what` says what refers to it (a function where
 *  the words cost something to build, and are rarely needed). */
function resolveType(ctx: CheckContext, name: string, where: Where, what: string | (() => string), at: SourceLocation | null = null): TypeEnt {
  const typ = ctx.lookupType(name);
  if (!typ) throw new ModelError(where, `${typeof what === 'string' ? what : what()} refers to the type '${name}', which is not defined`, at);
  return typ;
}

/** Features are named once per definition; 'deprecated' and 'unstable'
 *  make no sense on a type (only on what uses it). */
function checkFeatures(ent: AnyEnt, isType: boolean): void {
  const features = ent.features;
  if (features.length === 0) return;
  const seen = new Seen();
  for (let i = 0; i < features.length; i++) checkClash({ name: features[i]!.name, role: 'feature', definedIn: ent.name }, ent.where, seen);
  if (!isType) return;
  for (const f of features) {
    if (f.name === 'deprecated' || f.name === 'unstable') {
      throw new ModelError(ent.where, `a type cannot have the feature '${f.name}'; give it to the members, commands or events that use the type`);
    }
  }
}

function checkMember(ctx: CheckContext, m: MemberEnt | VariantEnt, where: Where, role: string): void {
  m.type = resolveType(ctx, m.typeName, where, () => describeMember(asClashable(m, role), where), m.loc);
  // An anonymous struct (the 2012 dialect) is part of its member: it must check too.
  if (m instanceof MemberEnt && m.type instanceof ObjectEnt && m.type.role?.kind === 'nested-struct') checkObject(ctx, m.type);
  if (m instanceof MemberEnt && m.features.length > 0) {
    const seen = new Seen();
    for (const f of m.features) checkClash({ name: f.name, role: 'feature', definedIn: m.definedIn }, where, seen);
  }
}

export function checkEntity(ctx: CheckContext, ent: AnyEnt): void {
  switch (ent.kind) {
    case 'builtin':
    case 'include':
      return;
    case 'enum':
      return checkEnum(ent);
    case 'array':
      return checkArray(ctx, ent);
    case 'object':
      return checkObject(ctx, ent);
    case 'alternate':
      return checkAlternate(ctx, ent);
    case 'command':
      return checkCommand(ctx, ent);
    case 'event':
      return checkEvent(ctx, ent);
  }
}

function checkEnum(ent: EnumEnt): void {
  checkFeatures(ent, true);
  const seen = new Seen();
  const values = ent.members;
  for (let i = 0; i < values.length; i++) checkClash({ name: values[i]!.name, role: 'value', definedIn: ent.name }, ent.where, seen);
}

function checkArray(ctx: CheckContext, ent: ArrayEnt): void {
  checkFeatures(ent, true);
  ent.elementType = resolveType(ctx, ent.elementTypeName, ent.where, ent.where.context?.meta ?? 'array');
}

/** Checks an object type, once; re-entering it means it contains itself. */
function checkObject(ctx: CheckContext, ent: ObjectEnt): void {
  if (ent.state === 'done') return;
  if (ent.state === 'broken') throw new BrokenDependency();
  if (ent.state === 'checking') {
    ent.state = 'broken';
    throw new ModelError(ent.where, `the object type ${ent.name} would contain itself, through its base or a branch`);
  }
  ent.state = 'checking';
  try {
    checkFeatures(ent, true);
    const seen = new Seen();
    const members: MemberEnt[] = [];
    if (ent.baseName !== null) {
      const base = resolveType(ctx, ent.baseName, ent.where, 'the base');
      if (!(base instanceof ObjectEnt) || base.variants) {
        throw new ModelError(ent.where, `the base must be a struct type, and ${base.describe()} is not one`);
      }
      ent.base = base;
      checkObject(ctx, base);
      const inherited = base.members;
      for (let i = 0; i < inherited.length; i++) {
        checkClash(asClashable(inherited[i]!, 'member'), ent.where, seen);
        members.push(inherited[i]!);
      }
    }
    const own = ent.localMembers;
    for (let i = 0; i < own.length; i++) {
      const m = own[i]!;
      checkMember(ctx, m, ent.where, 'member');
      checkClash(m, ent.where, seen);
      members.push(m);
    }
    ent.members = members;
    if (ent.variants) checkUnionVariants(ctx, ent, seen);
    ent.state = 'done';
  } catch (e) {
    ent.state = 'broken';
    throw e;
  }
}

function checkUnionVariants(ctx: CheckContext, ent: ObjectEnt, seen: Seen): void {
  const variants = ent.variants!;
  const tagName = variants.tagName!;
  const tag = ent.members.find((m) => cName(m.name) === cName(tagName));
  if (!tag || tag.name !== tagName) {
    throw new ModelError(ent.where, `the discriminator '${tagName}' is not one of the base's members`);
  }
  const baseType = ctx.lookupType(tag.definedIn);
  const baseName = baseType instanceof ObjectEnt && !baseType.implicit ? `base type '${tag.definedIn}'` : "'base'";
  if (!(tag.type instanceof EnumEnt)) {
    throw new ModelError(ent.where, `the discriminator '${tagName}' (of ${baseName}) must have an enum type`);
  }
  if (tag.optional) {
    throw new ModelError(ent.where, `the discriminator '${tagName}' (of ${baseName}) cannot be optional`);
  }
  if (tag.ifcond !== null) {
    throw new ModelError(ent.where, `the discriminator '${tagName}' (of ${baseName}) cannot have an 'if' condition`);
  }
  variants.tagMember = tag;
  const tagEnum = tag.type;
  // Values the union does not name get an empty branch.
  const named = new Set(variants.variants.map((v) => v.name));
  for (const value of tagEnum.members) {
    if (!named.has(value.name)) {
      variants.variants.push(new VariantEnt(value.name, EMPTY_OBJECT, value.ifcond, tag.definedIn, null, tag.definedInRole));
    }
  }
  if (variants.variants.length === 0) throw new ModelError(ent.where, 'the union has no branches: its tag enum has no values');
  const values = new Set(tagEnum.members.map((m) => m.name));
  for (const v of variants.variants) {
    checkMember(ctx, v, ent.where, 'branch');
    if (!values.has(v.name)) {
      throw new ModelError(ent.where, `the branch '${v.name}' matches no value of ${tagEnum.describe()}`, v.loc);
    }
    const nested = v.type instanceof ObjectEnt && v.type.variants !== null;
    if (!(v.type instanceof ObjectEnt) || (nested && !ctx.level.has('unionBranchesMayBeUnions'))) {
      const allowed = ctx.level.has('unionBranchesMayBeUnions') ? 'object types' : 'struct types';
      throw new ModelError(
        ent.where,
        `${describeMember(asClashable(v, 'branch'), ent.where)} has ${(v.type as TypeEnt).describe()}, but union branches must be ${allowed}`,
        v.loc,
      );
    }
    checkObject(ctx, v.type);
  }
  checkBranchClashes(variants.variants, ent.where, seen);
}

/** Branches are exclusive: each only has to avoid the members around it,
 *  and a branch that is itself a union (QEMU 8.1 on) has each of its own
 *  branches checked the same way. */
function checkBranchClashes(variants: readonly VariantEnt[], where: Where, seen: Seen): void {
  for (let i = 0; i < variants.length; i++) {
    const branchSeen = new Seen(seen);
    const typ = variants[i]!.type as ObjectEnt;
    const members = typ.members;
    for (let j = 0; j < members.length; j++) checkClash(asClashable(members[j]!, 'member'), where, branchSeen);
    if (typ.variants) checkBranchClashes(typ.variants.variants, where, branchSeen);
  }
}

function checkAlternate(ctx: CheckContext, ent: AlternateEnt): void {
  checkFeatures(ent, true);
  const variants = ent.variants;
  variants.tagMember.type = resolveType(ctx, variants.tagMember.typeName, ent.where, 'tag');
  for (const v of variants.variants) checkMember(ctx, v, ent.where, 'branch');
  const seen = new Seen();
  const byKind = new Map<JsonKind, string>();
  for (const v of variants.variants) {
    checkClash({ name: v.name, role: 'branch', definedIn: v.definedIn, loc: v.loc }, ent.where, seen);
    const typ = v.type as TypeEnt;
    const kind = jsonKindOfType(typ);
    const branch = describeMember(asClashable(v, 'branch'), ent.where);
    if (kind === null) {
      throw new ModelError(ent.where, `${branch} has ${typ.describe()}, which an alternate cannot tell apart from other values`, v.loc);
    }
    const conflicting = new Set([kind]);
    if (kind === 'string') {
      if (typ instanceof EnumEnt) {
        for (const m of typ.members) {
          if (m.name === 'on' || m.name === 'off') conflicting.add('boolean');
          if (/^[-+0-9.]/.test(m.name)) conflicting.add('number');
        }
      } else {
        // Command-line input spells numbers and booleans as strings too.
        conflicting.add('number');
        conflicting.add('boolean');
      }
    }
    for (const q of conflicting) {
      const other = byKind.get(q);
      if (other !== undefined) {
        throw new ModelError(
          ent.where,
          `${branch} and the branch '${other}' look alike on the wire; an alternate must be able to tell its branches apart`,
          v.loc,
        );
      }
      byKind.set(q, v.name);
    }
  }
}

function checkArgumentType(ctx: CheckContext, ent: CommandEnt | EventEnt, what: string): ObjectEnt | null {
  if (ent.argTypeName === null) return null;
  const typ = resolveType(ctx, ent.argTypeName, ent.where, `the ${what}'s 'data'`);
  if (!(typ instanceof ObjectEnt)) {
    throw new ModelError(ent.where, `the 'data' of a ${what} must be an object type, not ${typ.describe()}`);
  }
  if (typ.variants && !ent.boxed) {
    throw new ModelError(ent.where, `the 'data' of a ${what} can be ${typ.describe()} only with 'boxed': true`);
  }
  checkObject(ctx, typ);
  if (ctx.level.has('boxedConditionalArguments') && !ent.boxed && typ.members.some((m) => m.ifcond !== null)) {
    throw new ModelError(ent.where, `conditional ${what} arguments need 'boxed': true (or no 'if' on any argument)`);
  }
  return typ;
}

function checkCommand(ctx: CheckContext, ent: CommandEnt): void {
  checkFeatures(ent, false);
  ent.argType = checkArgumentType(ctx, ent, 'command');
  if (ent.retTypeName === null) return;
  const ret = resolveType(ctx, ent.retTypeName, ent.where, "the command's 'returns'");
  ent.retType = ret;
  if (ctx.level.has('anyReturnType') || ctx.pragma.commandReturnsExceptions.has(ent.name)) return;
  const returned = ret instanceof ArrayEnt ? ctx.lookupType(ret.elementTypeName) : ret;
  if (!(returned instanceof ObjectEnt)) {
    throw new ModelError(
      ent.where,
      `a command may not return ${ret.describe()}: return an object or a list of objects, or name the command in pragma 'command-returns-exceptions'`,
    );
  }
}

function checkEvent(ctx: CheckContext, ent: EventEnt): void {
  checkFeatures(ent, false);
  ent.argType = checkArgumentType(ctx, ent, 'event');
}
