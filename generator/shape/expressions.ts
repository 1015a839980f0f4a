/**
 * Shape checks per expression kind, and the Definitions they produce.
 *
 * Each function checks one kind of definition in the order QEMU does (so
 * that the first problem found is the one QEMU reports) and builds the
 * normalized definition.  They see one expression and the pragmas, nothing
 * else: checks that need the whole schema belong to the model.
 */
import { dictGet, dictOfOne, locOf, type DictNode } from '../parse/ast.js';
import type { Pragma } from '../common/pragma.js';
import type { LanguageLevel } from '../source/language.js';
import type {
  AlternateDef,
  BranchDef,
  CommandDef,
  EnumDef,
  EnumValueDef,
  EventDef,
  MemberDef,
  StructDef,
  TypeRef,
  UnionDef,
} from '../common/definitions.js';
import {
  atPart,
  checkFeatures,
  checkIf,
  checkKeys,
  checkType,
  isTruthy,
  nameCheck,
  normalizeMember,
  requireStringName,
  ShapeError,
} from './checker.js';
import { checkNameLower } from './names.js';

export interface ExprContext {
  readonly expr: DictNode;
  readonly name: string;
  readonly pragma: Pragma;
  readonly level: LanguageLevel;
  /** The key naming the definition ('struct', or the 2012 dialect's 'type'). */
  readonly metaKey: string;
}

/** The parts every definition shares, filled in by the caller. */
export type DefinitionBody<T> = T extends unknown ? Omit<T, 'name' | 'info' | 'doc' | 'ifcond' | 'features'> : never;

export function checkEnum(ctx: ExprContext): DefinitionBody<EnumDef> {
  checkKeys(ctx.expr, 'enum', ['enum', 'data'], ['if', 'features', 'prefix']);
  const data = dictGet(ctx.expr, 'data')!;
  const prefix = dictGet(ctx.expr, 'prefix');
  if (data.kind !== 'list') throw new ShapeError("an enum's 'data' is a list of value names");
  if (prefix !== undefined && prefix.kind !== 'string') throw new ShapeError("'prefix' takes a string");
  const permissive = ctx.level.has('underscoredNames') || ctx.pragma.memberNameExceptions.has(ctx.name);
  const values = data.items.map((item): EnumValueDef => atPart(item, () => {
    const source = "'data' member";
    const member: DictNode = item.kind === 'dict' ? item : dictOfOne('name', item);
    checkKeys(member, source, ['name'], ['if', 'features']);
    const name = requireStringName(dictGet(member, 'name'), source);
    const named = `${source} '${name}'`;
    // Enum values may start with a digit; the rules apply to the rest.
    const checked = /^[0-9]/.test(name) ? `d${name}` : name;
    nameCheck(() => checkNameLower(checked, named, permissive, permissive));
    const ifcond = checkIf(member, named);
    const features = checkFeatures(dictGet(member, 'features'));
    return { name, ifcond, features };
  }));
  return { meta: 'enum', values, prefix: prefix?.kind === 'string' ? prefix.value : null };
}

export function checkStruct(ctx: ExprContext): DefinitionBody<StructDef> {
  checkKeys(ctx.expr, 'struct', [ctx.metaKey, 'data'], ['base', 'if', 'features']);
  const options = { pragma: ctx.pragma, level: ctx.level };
  const members = checkType(dictGet(ctx.expr, 'data'), "'data'", { ...options, allowDict: ctx.name });
  const base = checkType(dictGet(ctx.expr, 'base'), "'base'", options) as TypeRef | null;
  if (!Array.isArray(members)) {
    throw new ShapeError("a struct's 'data' is an object of members; a struct cannot stand for another type");
  }
  return { meta: 'struct', base: base?.name ?? null, members };
}

export function checkUnion(ctx: ExprContext): DefinitionBody<UnionDef> {
  const simple = ctx.level.has('simpleUnions') && dictGet(ctx.expr, 'discriminator') === undefined;
  if (simple) {
    checkKeys(ctx.expr, 'union', ['union', 'data'], ['base', 'if', 'features']);
  } else {
    checkKeys(ctx.expr, 'union', ['union', 'base', 'discriminator', 'data'], ['if', 'features']);
  }
  const options = { pragma: ctx.pragma, level: ctx.level };
  const baseValue = dictGet(ctx.expr, 'base');
  const base = checkType(baseValue, "'base'", { ...options, allowDict: ctx.name });
  const discriminator = simple ? null : requireStringName(dictGet(ctx.expr, 'discriminator'), "'discriminator'");
  const data = dictGet(ctx.expr, 'data')!;
  if (data.kind !== 'dict') throw new ShapeError("'data' must map branch names to types (an object)");
  const branches = data.entries.map((entry): BranchDef => atPart(entry, () => {
    const source = `'data' member '${entry.key}'`;
    const value = normalizeMember(entry.value);
    checkKeys(value.dict, source, ['type'], ['if']);
    const ifcond = checkIf(value.dict, source);
    const type = checkType(value.type, source, { ...options, allowArray: !isTruthy(baseValue) }) as TypeRef;
    return { name: entry.key, loc: locOf(entry), type, ifcond };
  }));
  const unionBase = base === null ? null : Array.isArray(base) ? base : (base as TypeRef).name;
  return { meta: 'union', base: unionBase, discriminator, branches };
}

export function checkAlternate(ctx: ExprContext): DefinitionBody<AlternateDef> {
  checkKeys(ctx.expr, 'alternate', ['alternate', 'data'], ['if', 'features']);
  const data = dictGet(ctx.expr, 'data')!;
  if (!isTruthy(data)) throw new ShapeError("an alternate needs at least one branch in 'data'");
  if (data.kind !== 'dict') throw new ShapeError("'data' must map branch names to types (an object)");
  const branches = data.entries.map((entry): BranchDef => atPart(entry, () => {
    const source = `'data' member '${entry.key}'`;
    nameCheck(() => checkNameLower(entry.key, source));
    const value = normalizeMember(entry.value);
    checkKeys(value.dict, source, ['type'], ['if']);
    const ifcond = checkIf(value.dict, source);
    const type = checkType(value.type, source, { pragma: ctx.pragma, level: ctx.level, allowArray: true }) as TypeRef;
    return { name: entry.key, loc: locOf(entry), type, ifcond };
  }));
  return { meta: 'alternate', branches };
}

const COMMAND_KEYS = [
  'data',
  'returns',
  'boxed',
  'if',
  'features',
  'gen',
  'success-response',
  'allow-oob',
  'allow-preconfig',
  'coroutine',
];

/** Data of a command or event: a type name, inline members, or nothing. */
function checkArguments(ctx: ExprContext, boxed: boolean): string | MemberDef[] | null {
  const data = dictGet(ctx.expr, 'data');
  if (boxed && data === undefined) throw new ShapeError("'boxed': true needs 'data' to name the argument type");
  const checked = checkType(data, "'data'", { pragma: ctx.pragma, level: ctx.level, allowDict: !boxed });
  if (checked === null) return null;
  if (Array.isArray(checked)) return checked.length === 0 ? null : checked;
  return (checked as TypeRef).name;
}

export function checkCommand(ctx: ExprContext): DefinitionBody<CommandDef> {
  checkKeys(ctx.expr, 'command', ['command'], COMMAND_KEYS);
  const boxed = isTruthy(dictGet(ctx.expr, 'boxed'));
  const data = checkArguments(ctx, boxed);
  const returns = checkType(dictGet(ctx.expr, 'returns'), "'returns'", { pragma: ctx.pragma, level: ctx.level, allowArray: true }) as TypeRef | null;
  return {
    meta: 'command',
    data,
    returns,
    boxed,
    gen: !dictGet(ctx.expr, 'gen'),
    successResponse: dictGet(ctx.expr, 'success-response') === undefined,
    allowOob: dictGet(ctx.expr, 'allow-oob') !== undefined,
    allowPreconfig: dictGet(ctx.expr, 'allow-preconfig') !== undefined,
    coroutine: dictGet(ctx.expr, 'coroutine') !== undefined,
  };
}

export function checkEvent(ctx: ExprContext): DefinitionBody<EventDef> {
  checkKeys(ctx.expr, 'event', ['event'], ['data', 'boxed', 'if', 'features']);
  const boxed = isTruthy(dictGet(ctx.expr, 'boxed'));
  const data = checkArguments(ctx, boxed);
  return { meta: 'event', data, boxed };
}

/** Flags may only take the value that differs from their default.  The
 *  caller runs this after conditions and features, as QEMU does. */
const FLAG_KEYS = ['gen', 'success-response', 'boxed', 'allow-oob', 'allow-preconfig', 'coroutine'];

export function checkFlags(ctx: ExprContext): void {
  if (!ctx.expr.entries.some((e) => FLAG_KEYS.includes(e.key))) return;
  for (const key of ['gen', 'success-response']) {
    const value = dictGet(ctx.expr, key);
    if (value === undefined) continue;
    const genNo = ctx.level.has('genNo') && key === 'gen' && value.kind === 'string' && value.value === 'no';
    if (!(value.kind === 'bool' && !value.value) && !genNo) {
      throw new ShapeError(`'${key}' can only be set to false; leave it out to keep the default, true`);
    }
  }
  for (const key of ['boxed', 'allow-oob', 'allow-preconfig', 'coroutine']) {
    const value = dictGet(ctx.expr, key);
    if (value !== undefined && !(value.kind === 'bool' && value.value)) {
      throw new ShapeError(`'${key}' can only be set to true; leave it out to keep the default, false`);
    }
  }
  if (dictGet(ctx.expr, 'allow-oob') !== undefined && dictGet(ctx.expr, 'coroutine') !== undefined) {
    throw new ShapeError("a command cannot have both 'allow-oob' and 'coroutine'");
  }
}
