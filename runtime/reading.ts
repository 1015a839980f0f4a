/**
 * Reading values from the wire as the bindings type them.  The JSON parser
 * (json.ts) knows no types: it gives every integer within 2^53 as a number
 * and every larger one as an exact bigint.  What the schema says about a
 * value then decides what it becomes, by the bindings' Int64Mode:
 *
 * - a 64-bit integer type (`int`, `int64`, `uint64`, `size`): left as parsed
 *   in `mixed` mode; made a bigint in `bigint` mode; in `number` mode a
 *   bigint (a value beyond 2^53) is an error carrying its exact digits,
 *   never a rounded number;
 * - `number` (a double): a bigint becomes the nearest number, in every mode,
 *   as JSON.parse would read it;
 * - anything of type `any` is left as parsed.
 *
 * Values are changed in place: they are the parser's, fresh from the wire.
 * Only values of types that reach such a built-in are walked at all.
 */
import { QmpInexactIntegerError, QmpProtocolError } from './errors.js';
import { boundedWalk, type Descent } from './nesting.js';
import { child } from './paths.js';
import { caseIn, jsonKindOfRef, memberTypeIn, resolveType, type TypeDescriptor, type TypeRef } from './tables.js';
import { builtinType, chooseBranch, followsInt64Mode, type Int64Mode } from './type-rules.js';

type Rule = 'bigint' | 'number' | 'exact-number' | 'as-parsed';

/** What a built-in type's values become in a mode. */
function ruleOf(builtin: string, mode: Int64Mode): Rule {
  const info = builtinType(builtin);
  if (info.json === 'number') return 'number';
  if (!followsInt64Mode(info) || mode === 'mixed') return 'as-parsed';
  return mode === 'bigint' ? 'bigint' : 'exact-number';
}

/** An integer `number` mode cannot hold, on its way out of the walk. */
class Inexact {
  constructor(
    readonly path: string,
    readonly value: bigint,
  ) {}
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The types a descriptor refers to directly. */
function usedTypes(d: TypeDescriptor): readonly TypeRef[] {
  switch (d.kind) {
    case 'enum':
      return [];
    case 'array':
      return [d.element];
    case 'alternate':
      return d.branches;
    case 'object':
      return [
        ...d.members.flatMap(([, type, , releases]) => [type, ...(releases?.types ?? []).map(([, t]) => t)]),
        ...(d.cases ?? []).map(([, type]) => type),
      ];
  }
}

/** Per mode, whether values of a descriptor may change: it reaches, through
 *  members, branches and elements, a built-in whose rule is not `as-parsed`. */
const affectedByMode: Record<Int64Mode, WeakMap<TypeDescriptor, boolean>> = {
  mixed: new WeakMap(),
  bigint: new WeakMap(),
  number: new WeakMap(),
};

function isAffected(ref: TypeRef, mode: Int64Mode): boolean {
  const d = resolveType(ref);
  if (typeof d === 'string') return ruleOf(d, mode) !== 'as-parsed';
  const known = affectedByMode[mode];
  const cached = known.get(d);
  if (cached !== undefined) return cached;
  // Depth first over the graph from `d`; the descriptors on the way are
  // affected if any of them reaches a changing built-in (a cycle changes
  // nothing: what its members reach is seen all the same).
  const seen = new Set<TypeDescriptor>();
  const pending: TypeDescriptor[] = [d];
  let affected = false;
  while (pending.length > 0 && !affected) {
    const current = pending.pop() as TypeDescriptor;
    if (seen.has(current)) continue;
    seen.add(current);
    const before = known.get(current);
    if (before !== undefined) {
      affected = before;
      continue;
    }
    for (const used of usedTypes(current)) {
      const u = resolveType(used);
      if (typeof u === 'string') {
        if (ruleOf(u, mode) !== 'as-parsed') affected = true;
      } else pending.push(u);
    }
  }
  // Unaffected, everything seen is unaffected too (all it reaches was seen).
  if (!affected) for (const s of seen) known.set(s, false);
  known.set(d, affected);
  return affected;
}

function scalar(rule: Rule, value: unknown, path: string): unknown {
  switch (rule) {
    case 'as-parsed':
      return value;
    case 'number':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'bigint':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'exact-number':
      if (typeof value === 'bigint') throw new Inexact(path, value);
      return value;
  }
}

/** A value nested too deeply (or holding itself), on its way out of the walk. */
class TooDeep {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {}
}

/** How a walk reads: the mode, how deep it is (a value from the wire
 *  holds no cycle; one made by a program may), and for bindings that span
 *  releases the release whose types it reads by (-1: not known, the
 *  newest's). */
interface Walk {
  readonly mode: Int64Mode;
  readonly descent: Descent;
  readonly release: number;
}

/** Reads a container's contents with `read`, within MAX_NESTING levels and without cycles. */
function nested(value: object, path: string, walk: Walk, read: () => void): void {
  const problem = walk.descent.enter(value);
  if (problem !== undefined) throw new TooDeep(path, problem);
  read();
  walk.descent.leave(value);
}

function visit(ref: TypeRef, value: unknown, path: string, walk: Walk): unknown {
  if (!isAffected(ref, walk.mode)) return value;
  const d = resolveType(ref);
  if (typeof d === 'string') return scalar(ruleOf(d, walk.mode), value, path);
  switch (d.kind) {
    case 'enum':
      return value;
    case 'array':
      if (Array.isArray(value)) {
        nested(value, path, walk, () => {
          for (let i = 0; i < value.length; i++) value[i] = visit(d.element, value[i], `${path}[${i}]`, walk);
        });
      }
      return value;
    case 'alternate': {
      const chosen = chooseBranch(d.branches, jsonKindOfRef, value);
      return chosen.branch === undefined ? value : visit(chosen.branch, value, path, walk);
    }
    case 'object':
      if (isRecord(value)) nested(value, path, walk, () => members(d, value, path, walk));
      return value;
  }
}

function members(d: TypeDescriptor & { kind: 'object' }, value: Record<string, unknown>, path: string, walk: Walk): void {
  for (const member of d.members) {
    const name = member[0];
    // A member whose type differs by release is read as the release has it.
    if (Object.hasOwn(value, name)) value[name] = visit(memberTypeIn(member, walk.release), value[name], child(path, name), walk);
  }
  if (d.tag === undefined || d.cases === undefined) return;
  const branch = caseIn(d, value[d.tag], walk.release);
  const branchType = branch === undefined ? undefined : resolveType(branch);
  if (typeof branchType === 'object' && branchType.kind === 'object') members(branchType, value, path, walk);
}

/**
 * `value` as a value of `type`, changed in place; see the module comment.
 * `where` (the command or event) and `path` (`return`, `data`) name it in
 * the error `number` mode throws for an integer beyond 2^53, and in the
 * QmpProtocolError (`too-deep`) for a value nested deeper than MAX_NESTING
 * levels or holding itself.  `release`: for bindings that span releases,
 * the position of the release whose types to read by.
 */
export function readValue(type: TypeRef, value: unknown, path: string, where: string, mode: Int64Mode, release = -1): unknown {
  try {
    return boundedWalk((descent) => visit(type, value, path, { mode, descent, release }));
  } catch (err) {
    if (err instanceof Inexact) throw new QmpInexactIntegerError(where, err.path, err.value);
    if (err instanceof TooDeep) throw new QmpProtocolError('too-deep', `${where}: ${err.path}: ${err.what}`);
    throw err;
  }
}
