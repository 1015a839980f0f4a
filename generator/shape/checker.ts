/**
 * Primitive shape checks on one expression's syntax tree: keys, names,
 * conditions, features, type references.  Each throws ShapeError with a
 * message naming the offending part; the caller locates it.
 */
import { dictGet, dictOfOne, locOf, type DictEntry, type DictNode, type Placed, type ValueNode } from '../parse/ast.js';
import type { Pragma } from '../common/pragma.js';
import type { LanguageLevel } from '../source/language.js';
import type { SourceLocation } from '../source/diagnostics.js';
import type { FeatureDef, IfCondition, MemberDef, TypeRef } from '../common/definitions.js';
import { cName, checkNameLower, NameError } from './names.js';

export class ShapeError extends Error {
  constructor(
    message: string,
    /** The part of the expression at fault, when known more precisely. */
    readonly at?: SourceLocation,
  ) {
    super(message);
  }
}

/** Runs a check of one part of an expression, locating its failure there
 *  (the part is located only then). */
export function atPart<T>(at: Placed, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ShapeError && e.at === undefined) throw new ShapeError(e.message, locOf(at));
    throw e;
  }
}

/** Runs a name check, turning its failure into a ShapeError. */
export function nameCheck(run: () => void): void {
  try {
    run();
  } catch (e) {
    if (e instanceof NameError) throw new ShapeError(e.message);
    throw e;
  }
}

function quoteList(names: Iterable<string>): string {
  return [...names]
    .sort()
    .map((n) => `'${n}'`)
    .join(', ');
}

/** The value must be a dict having every required key and no other than
 *  the optional ones. */
export function checkKeys(
  value: DictNode,
  source: string,
  required: readonly string[],
  optional: readonly string[],
): void {
  // Most dicts are fine: tell so without building sets (the front end
  // mostly runs in V8's interpreter, where that shows).
  const entries = value.entries;
  let allowed = 0;
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]!.key;
    if (required.includes(key) || optional.includes(key)) allowed++;
  }
  let found = 0;
  for (let i = 0; i < required.length; i++) if (dictGet(value, required[i]!) !== undefined) found++;
  if (allowed === entries.length && found === required.length) return;
  reportKeys(value, source, required, optional);
}

function reportKeys(value: DictNode, source: string, required: readonly string[], optional: readonly string[]): void {
  const present = new Set(value.entries.map((e) => e.key));
  const missing = required.filter((k) => !present.has(k));
  if (missing.length > 0) {
    throw new ShapeError(`${source} needs the key${missing.length > 1 ? 's' : ''} ${quoteList(missing)}`);
  }
  const allowed = new Set([...required, ...optional]);
  const unknown = [...present].filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw new ShapeError(
      `${source} has the unexpected key${unknown.length > 1 ? 's' : ''} ${quoteList(unknown)}; it accepts only ${quoteList(allowed)}`,
    );
  }
}

export function requireStringName(value: ValueNode | undefined, source: string): string {
  if (value?.kind !== 'string') throw new ShapeError(`${source} must be named by a string`);
  return value.value;
}

/** Python's truth value of a schema value. */
export function isTruthy(value: ValueNode | undefined): boolean {
  if (value === undefined) return false;
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'string':
      return value.value !== '';
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
  }
}

/** Checks the 'if' key of `owner`, if any, and returns the condition. */
export function checkIf(owner: DictNode, source: string): IfCondition | null {
  const cond = dictGet(owner, 'if');
  return cond === undefined ? null : checkCondition(cond, source);
}

function checkCondition(cond: ValueNode, source: string): IfCondition {
  if (cond.kind === 'string') {
    if (!/^[A-Z][A-Z0-9_]*$/.test(cond.value)) {
      throw new ShapeError(
        `the condition '${cond.value}' in the 'if' of ${source} is not a configuration symbol: use capitals, digits and '_', like 'CONFIG_VNC'`,
      );
    }
    return { kind: 'name', name: cond.value };
  }
  if (cond.kind !== 'dict') {
    throw new ShapeError(`the 'if' of ${source} must be a symbol (a string) or an object with 'all', 'any' or 'not'`);
  }
  checkKeys(cond, `the 'if' of ${source}`, [], ['all', 'any', 'not']);
  const [only, ...others] = cond.entries;
  if (only === undefined || others.length > 0) {
    throw new ShapeError(`the 'if' of ${source} must have exactly one of the keys 'all', 'any' and 'not'`);
  }
  if (only.key === 'not') return { kind: 'not', operand: checkCondition(only.value, source) };
  const operator = only.key as 'all' | 'any';
  if (only.value.kind !== 'list') {
    throw new ShapeError(`'${operator}' in the 'if' of ${source} takes a list of conditions`);
  }
  if (only.value.items.length === 0) {
    throw new ShapeError(`'${operator}' in the 'if' of ${source} has an empty list, which decides nothing`);
  }
  return { kind: operator, operands: only.value.items.map((item) => checkCondition(item, source)) };
}

/** Checks a 'features' value and returns the normalized features. */
export function checkFeatures(features: ValueNode | undefined): FeatureDef[] {
  if (features === undefined) return [];
  if (features.kind !== 'list') throw new ShapeError("'features' takes a list of feature names");
  return features.items.map((feat) => atPart(feat, () => {
    const source = "'features' member";
    let name: string;
    let ifcond: IfCondition | null = null;
    if (feat.kind === 'dict') {
      checkKeys(feat, source, ['name'], ['if']);
      name = requireStringName(dictGet(feat, 'name'), source);
      // Feature names follow the rules of member names.
      nameCheck(() => checkNameLower(name, `${source} '${name}'`));
      ifcond = checkIf(feat, `${source} '${name}'`);
    } else {
      name = requireStringName(feat, source);
      nameCheck(() => checkNameLower(name, `${source} '${name}'`));
    }
    return { name, ifcond };
  }));
}

export interface TypeCheckOptions {
  readonly allowArray?: boolean;
  /** Allow an inline object; a string names the type, for the pragma
   *  'member-name-exceptions'. */
  readonly allowDict?: boolean | string;
  readonly pragma: Pragma;
  readonly level: LanguageLevel;
}

/** What check_type accepts: a type name, a one-element array of one, or
 *  (when allowed) inline members. */
export type CheckedType = TypeRef | MemberDef[] | null;

export function checkType(value: ValueNode | undefined, source: string, options: TypeCheckOptions): CheckedType {
  if (value === undefined) return null;
  if (value.kind === 'string') return { name: value.value, array: false };
  if (value.kind === 'list') {
    if (!options.allowArray) throw new ShapeError(`${source} may not be a list type here`);
    // Read by index: destructuring steps an iterator and copies the rest,
    // for every list type, in the interpreter a short run runs in.
    const element = value.items[0];
    if (element?.kind !== 'string' || value.items.length > 1) {
      throw new ShapeError(`${source}: a list type is one type name in brackets, like ['str']`);
    }
    return { name: element.value, array: true };
  }
  if (!options.allowDict) throw new ShapeError(`${source} must name a type; an inline object is not allowed here`);
  if (value.kind !== 'dict') throw new ShapeError(`${source} must be a type name or an object of members`);
  return checkMembers(value, source, options);
}

/** Checks inline members ('data' of a struct, command or event, or an
 *  inline union base). */
export function checkMembers(value: DictNode, source: string, options: TypeCheckOptions): MemberDef[] {
  const permissive =
    options.level.has('underscoredNames') ||
    (typeof options.allowDict === 'string' && options.pragma.memberNameExceptions.has(options.allowDict));
  const typeOptions: TypeCheckOptions = { ...options, allowArray: true, allowDict: false };
  return value.entries.map((entry) => atPart(entry, () => checkMember(entry, source, options, typeOptions, permissive)));
}

/** One member: its name, its key-value form and its type. */
function checkMember(entry: DictEntry, source: string, options: TypeCheckOptions, typeOptions: TypeCheckOptions, permissive: boolean): MemberDef {
  const keySource = `${source} member '${entry.key}'`;
  const optional = entry.key.startsWith('*');
  const name = optional ? entry.key.slice(1) : entry.key;
  nameCheck(() => checkNameLower(name, keySource, permissive, permissive));
  const c = cName(name);
  if (c === 'u' || c.startsWith('has_')) {
    throw new ShapeError(`${keySource} has a reserved name: 'u' and names beginning 'has-' or 'has_' would clash with generated C`);
  }
  if (options.level.has('anonymousStructs') && entry.value.kind === 'dict') {
    const inline = checkMembers(entry.value, keySource, options);
    return { name, loc: locOf(entry), optional, type: { name: '', array: false, inline }, ifcond: null, features: [] };
  }
  // A bare type name, as nearly every member is written, is the form
  // { 'type': NAME } with nothing else: no keys, condition or features to
  // check, and no such form to make.
  if (entry.value.kind === 'string') {
    return { name, loc: locOf(entry), optional, type: { name: entry.value.value, array: false }, ifcond: null, features: [] };
  }
  const arg = normalizeMember(entry.value);
  checkKeys(arg.dict, keySource, ['type'], ['if', 'features']);
  const ifcond = checkIf(arg.dict, keySource);
  const features = checkFeatures(dictGet(arg.dict, 'features'));
  const type = checkType(arg.type, keySource, typeOptions) as TypeRef;
  return { name, loc: locOf(entry), optional, type, ifcond, features };
}

/** A member written as a bare type stands for { 'type': TYPE }. */
export function normalizeMember(value: ValueNode): { dict: DictNode; type: ValueNode | undefined } {
  if (value.kind === 'dict') return { dict: value, type: dictGet(value, 'type') };
  return { dict: dictOfOne('type', value), type: value };
}
