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
import { cName } from '../shape/names.js';
import type { Pragma } from '../parse/pragma.js';
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
import type { JsonType, Member } from './types.js';

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
  readonly legacy: boolean;
}

/** How clash messages name a member: by role, and by where it comes from
 *  when that is not the definition being checked. */
function describeMember(name: string, role: string, definedIn: string, where: Where): string {
  if (definedIn.startsWith('q_obj_')) {
    const owner = definedIn.slice(6);
    if (owner.endsWith('-arg')) role = 'parameter';
    else if (owner.endsWith('-base')) role = `base ${role}`;
    return `${role} '${name}'`;
  }
  if (definedIn !== where.context?.name) return `${role} '${name}' of type '${definedIn}'`;
  return `${role} '${name}'`;
}

interface Clashable {
  readonly name: string;
  readonly role: string;
  readonly definedIn: string;
  readonly loc?: SourceLocation | null;
}

type Seen = Map<string, Clashable>;

function checkClash(item: Clashable, where: Where, seen: Seen): void {
  const key = cName(item.name);
  const other = seen.get(key);
  if (other) {
    throw new ModelError(
      where,
      `${describeMember(item.name, item.role, item.definedIn, where)} clashes with ${describeMember(other.name, other.role, other.definedIn, where)}: both become the same C name`,
      item.loc ?? null,
    );
  }
  seen.set(key, item);
}

function resolveType(ctx: CheckContext, name: string, where: Where, what: string, at: SourceLocation | null = null): TypeEnt {
  const typ = ctx.lookupType(name);
  if (!typ) throw new ModelError(where, `${what} refers to the type '${name}', which is not defined`, at);
  return typ;
}

/** Features are named once per definition; 'deprecated' and 'unstable'
 *  make no sense on a type (only on what uses it). */
function checkFeatures(ent: AnyEnt, isType: boolean): void {
  const seen: Seen = new Map();
  for (const f of ent.features) checkClash({ name: f.name, role: 'feature', definedIn: ent.name }, ent.where, seen);
  if (!isType) return;
  for (const f of ent.features) {
    if (f.name === 'deprecated' || f.name === 'unstable') {
      throw new ModelError(ent.where, `a type cannot have the feature '${f.name}'; give it to the members, commands or events that use the type`);
    }
  }
}

function checkMember(ctx: CheckContext, m: MemberEnt | VariantEnt, where: Where, role: string): void {
  m.type = resolveType(ctx, m.typeName, where, describeMember(m.name, role, m.definedIn, where), m.loc);
  if (m instanceof MemberEnt) {
    const seen: Seen = new Map();
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
  const seen: Seen = new Map();
  for (const m of ent.members) checkClash({ name: m.name, role: 'value', definedIn: ent.name }, ent.where, seen);
}

function checkArray(ctx: CheckContext, ent: ArrayEnt): void {
  checkFeatures(ent, true);
  ent.elementType = resolveType(ctx, ent.elementTypeName, ent.where, ent.where.context?.meta ?? 'array');
}

/** Checks an object type, once; re-entering it means it contains itself. */
export function checkObject(ctx: CheckContext, ent: ObjectEnt): void {
  if (ent.state === 'done') return;
  if (ent.state === 'broken') throw new BrokenDependency();
  if (ent.state === 'checking') {
    ent.state = 'broken';
    throw new ModelError(ent.where, `the object type ${ent.name} would contain itself, through its base or a branch`);
  }
  ent.state = 'checking';
  try {
    checkFeatures(ent, true);
    const seen: Seen = new Map();
    const members: Member[] = [];
    if (ent.baseName !== null) {
      const base = resolveType(ctx, ent.baseName, ent.where, 'the base');
      if (!(base instanceof ObjectEnt) || base.variants) {
        throw new ModelError(ent.where, `the base must be a struct type, and ${base.describe()} is not one`);
      }
      ent.base = base;
      checkObject(ctx, base);
      for (const m of base.members) {
        checkClash({ name: m.name, role: 'member', definedIn: m.definedIn }, ent.where, seen);
        members.push(m);
      }
    }
    for (const m of ent.localMembers) {
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
  variants.tagMember = tag as MemberEnt;
  const tagEnum = tag.type;
  // Values the union does not name get an empty branch.
  const named = new Set(variants.variants.map((v) => v.name));
  for (const value of tagEnum.members) {
    if (!named.has(value.name)) {
      variants.variants.push(new VariantEnt(value.name, 'q_empty', value.ifcond, tag.definedIn));
    }
  }
  if (variants.variants.length === 0) throw new ModelError(ent.where, 'the union has no branches: its tag enum has no values');
  const values = new Set(tagEnum.members.map((m) => m.name));
  for (const v of variants.variants) {
    checkMember(ctx, v, ent.where, 'branch');
    if (!values.has(v.name)) {
      throw new ModelError(ent.where, `the branch '${v.name}' matches no value of ${tagEnum.describe()}`, v.loc);
    }
    if (!(v.type instanceof ObjectEnt)) {
      throw new ModelError(
        ent.where,
        `${describeMember(v.name, 'branch', v.definedIn, ent.where)} has ${(v.type as TypeEnt).describe()}, but union branches must be object types`,
        v.loc,
      );
    }
    checkObject(ctx, v.type);
  }
  for (const v of variants.variants) {
    // Branches are exclusive: each only has to avoid the common members.
    const branchSeen: Seen = new Map(seen);
    const typ = v.type as ObjectEnt;
    for (const m of typ.members) checkClash({ name: m.name, role: 'member', definedIn: m.definedIn }, ent.where, branchSeen);
  }
}

/** What QEMU's input visitors see first of a value of this type, which is
 *  how an alternate picks its branch; null when it cannot be told apart. */
export function alternateQtype(
  typ: { readonly kind: 'builtin'; readonly jsonType: JsonType } | { readonly kind: 'enum' | 'array' | 'object' | 'alternate' },
): string | null {
  switch (typ.kind) {
    case 'builtin':
      return (
        {
          null: 'QTYPE_QNULL',
          string: 'QTYPE_QSTRING',
          number: 'QTYPE_QNUM',
          int: 'QTYPE_QNUM',
          size: 'QTYPE_QNUM',
          boolean: 'QTYPE_QBOOL',
          value: null,
        } as const
      )[typ.jsonType];
    case 'enum':
      return 'QTYPE_QSTRING';
    case 'array':
      return 'QTYPE_QLIST';
    case 'object':
      return 'QTYPE_QDICT';
    case 'alternate':
      return null;
  }
}

function checkAlternate(ctx: CheckContext, ent: AlternateEnt): void {
  checkFeatures(ent, true);
  const variants = ent.variants;
  variants.tagMember.type = resolveType(ctx, variants.tagMember.typeName, ent.where, 'tag');
  for (const v of variants.variants) checkMember(ctx, v, ent.where, 'branch');
  const seen: Seen = new Map();
  const byQtype = new Map<string, string>();
  for (const v of variants.variants) {
    checkClash({ name: v.name, role: 'branch', definedIn: v.definedIn, loc: v.loc }, ent.where, seen);
    const typ = v.type as TypeEnt;
    const qtype = alternateQtype(typ);
    const branch = describeMember(v.name, 'branch', v.definedIn, ent.where);
    if (qtype === null) {
      throw new ModelError(ent.where, `${branch} has ${typ.describe()}, which an alternate cannot tell apart from other values`, v.loc);
    }
    const conflicting = new Set([qtype]);
    if (qtype === 'QTYPE_QSTRING') {
      if (typ instanceof EnumEnt) {
        for (const m of typ.members) {
          if (m.name === 'on' || m.name === 'off') conflicting.add('QTYPE_QBOOL');
          if (/^[-+0-9.]/.test(m.name)) conflicting.add('QTYPE_QNUM');
        }
      } else {
        // Command-line input spells numbers and booleans as strings too.
        conflicting.add('QTYPE_QNUM');
        conflicting.add('QTYPE_QBOOL');
      }
    }
    for (const q of conflicting) {
      const other = byQtype.get(q);
      if (other !== undefined) {
        throw new ModelError(
          ent.where,
          `${branch} and the branch '${other}' look alike on the wire; an alternate must be able to tell its branches apart`,
          v.loc,
        );
      }
      byQtype.set(q, v.name);
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
  return typ;
}

function checkCommand(ctx: CheckContext, ent: CommandEnt): void {
  checkFeatures(ent, false);
  ent.argType = checkArgumentType(ctx, ent, 'command');
  if (ent.retTypeName === null) return;
  const ret = resolveType(ctx, ent.retTypeName, ent.where, "the command's 'returns'");
  ent.retType = ret;
  if (ctx.legacy || ctx.pragma.commandReturnsExceptions.has(ent.name)) return;
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
