/**
 * A command's arguments judged as QEMU judges them: the bindings'
 * validator (argumentProblems) finds what is wrong, in the order QEMU's
 * input visitor meets it (members in schema order, each value depth
 * first, a union's branch after its base, unknown members once an object's
 * members are done), and the first problem becomes QEMU's GenericError in
 * QEMU's wording.  One leniency of QEMU's is kept: a uint64 or size member
 * takes a negative int64 (QEMU reads it as the two's complement, for
 * compatibility), which the validator, stricter, calls out of range.
 */
import { resolveType, jsonKindOfRef, type CommandInfo, type TypeDescriptor, type TypeRef } from '../tables.js';
import { chooseBranch, findBuiltinType, jsonKindOfType, type BuiltinKind, type JsonKind } from '../type-rules.js';
import { pathSteps } from '../paths.js';
import { argumentProblems, type Problem } from '../validation.js';
import { isPlainObject, membersOf } from './values.js';

/** One step of a problem's path below `arguments`. */
type Step = { readonly name: string } | { readonly index: number };

/** The steps of a validator path (`arguments.a["b-c"][2]`) below its root. */
function steps(path: string): Step[] | null {
  if (!path.startsWith('arguments')) return null;
  return pathSteps(path, 'arguments').map((s) => (typeof s === 'number' ? { index: s } : { name: s }));
}

/** How QEMU names a place: `a.b[2].c`. */
function fullName(path: readonly Step[]): string {
  let out = '';
  for (const s of path) out += 'name' in s ? (out === '' ? s.name : `.${s.name}`) : `[${s.index}]`;
  return out;
}

/** The last step's name, as QEMU's scalar visitors name a value (list
 *  elements have none: 'null'). */
function bareName(path: readonly Step[]): string {
  const last = path[path.length - 1];
  return last !== undefined && 'name' in last ? last.name : 'null';
}


/** The type of the value at `path` inside `value` (of type `ref`), alternates
 *  resolved by the value's JSON kind, as QEMU chooses. */
function typeAt(ref: TypeRef, value: unknown, path: readonly Step[]): TypeDescriptor | string | undefined {
  let d = resolveType(ref);
  let v = value;
  for (const s of path) {
    d = branchOf(d, v);
    if (typeof d === 'string') return undefined;
    if ('index' in s) {
      if (d.kind !== 'array' || !Array.isArray(v)) return undefined;
      d = resolveType(d.element);
      v = v[s.index];
    } else {
      if (d.kind !== 'object' || !isPlainObject(v)) return undefined;
      const member = membersOf(d, v).find(([n]) => n === s.name);
      if (member === undefined) return undefined;
      d = resolveType(member[1]);
      v = v[s.name];
    }
  }
  return branchOf(d, v);
}

function branchOf(d: TypeDescriptor | BuiltinKind, value: unknown): TypeDescriptor | BuiltinKind {
  if (typeof d === 'string' || d.kind !== 'alternate') return d;
  const chosen = chooseBranch(d.branches, jsonKindOfRef, value);
  return chosen.branch === undefined ? d : branchOf(resolveType(chosen.branch), value);
}

/** The QAPI name of a type, where known (QEMU names an alternate in its message). */
export type TypeNamer = (d: TypeDescriptor) => string | undefined;

/** What QEMU's visitor says it expected of a value of this type. */
function expected(d: TypeDescriptor | string | undefined, nameOf: TypeNamer): string {
  if (d === undefined) return 'a different type';
  if (typeof d === 'string') {
    const info = findBuiltinType(d);
    if (info?.range) return 'integer';
    const kind: Partial<Record<string, string>> = { string: 'string', number: 'number', boolean: 'boolean', null: 'null', value: 'any value' };
    return kind[info?.json ?? ''] ?? d;
  }
  if (d.kind !== 'alternate') return jsonKindOfType(d)!;
  const name = nameOf(d);
  if (name !== undefined) return name;
  const kinds = d.branches.map(jsonKindOfRef).filter((k): k is JsonKind => k !== null);
  return [...new Set(kinds)].join(' or ');
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Whether QEMU takes a value the validator calls out of range: a negative
 *  int64 where a uint64 (or size) is expected. */
function qemuTakes(type: TypeDescriptor | string | undefined, value: unknown): boolean {
  if (type !== 'uint64' || (typeof value !== 'number' && typeof value !== 'bigint')) return false;
  const v = BigInt(value);
  return v < 0n && v >= INT64_MIN;
}

/** QEMU's words for an integer outside its type's range. */
function rangeMessage(type: string, value: number | bigint, path: readonly Step[]): string {
  const v = BigInt(value);
  const signed = type.startsWith('int');
  if (signed && (v < INT64_MIN || v > INT64_MAX)) return `Invalid parameter type for '${fullName(path)}', expected: integer`;
  if (!signed && (v < INT64_MIN || v > UINT64_MAX)) return `Parameter '${fullName(path)}' expects uint64`;
  if (type === 'int64' || type === 'uint64') return `Parameter '${fullName(path)}' expects ${type}`;
  return `Parameter '${bareName(path)}' expects ${type}_t`;
}

/** The value at `path` inside `value`. */
function valueAt(value: unknown, path: readonly Step[]): unknown {
  let v = value;
  for (const s of path) {
    if ('index' in s) v = Array.isArray(v) ? v[s.index] : undefined;
    else v = isPlainObject(v) && Object.hasOwn(v, s.name) ? v[s.name] : undefined;
  }
  return v;
}

/** Whether a built-in is an unsigned integer type (QEMU reads it as a uint64 first). */
function isUnsigned(type: TypeDescriptor | string | undefined): boolean {
  return typeof type === 'string' && findBuiltinType(type)?.range?.[0] === 0n;
}

/** QEMU's description of one problem. */
function describe(p: Problem, info: CommandInfo, args: Record<string, unknown>, path: readonly Step[], nameOf: TypeNamer): string | null {
  switch (p.kind) {
    case 'missing-member':
      return `Parameter '${fullName(path)}' is missing`;
    case 'unknown-member':
      return `Parameter '${fullName(path)}' is unexpected`;
    case 'no-arguments':
      return `Parameter '${Object.keys(args)[0] ?? ''}' is unexpected`;
    case 'enum':
      return `Parameter '${bareName(path)}' does not accept value '${String(valueAt(args, path))}'`;
    case 'range': {
      const type = info.args === null ? undefined : typeAt(info.args, args, path);
      const value = valueAt(args, path);
      if (qemuTakes(type, value)) return null;
      return rangeMessage(typeof type === 'string' ? type : 'int64', value as number | bigint, path);
    }
    case 'type': {
      const type = info.args === null ? undefined : typeAt(info.args, args, path);
      // An unsigned integer of any width is read as a uint64 first, which names itself.
      if (isUnsigned(type)) return `Parameter '${fullName(path)}' expects uint64`;
      return `Invalid parameter type for '${fullName(path)}', expected: ${expected(type, nameOf)}`;
    }
    case 'unavailable':
      // What the release lacks (bindings that span releases), in QEMU's
      // words for what it does not have.
      return p.unavailable?.what === 'value'
        ? `Parameter '${bareName(path)}' does not accept value '${String(valueAt(args, path))}'`
        : `Parameter '${fullName(path)}' is unexpected`;
    case 'unknown-type':
    case 'unknown-command':
    // Nesting beyond the runtime's limit (a kind the client branch added): its own words.
    case 'nesting':
      return p.message;
  }
}

/**
 * Why QEMU would refuse these arguments (its GenericError's description),
 * or null when it takes them.  `args` is the request's `arguments` (an
 * empty object when there were none); `release`, for bindings that span
 * releases, the position of the release that QEMU is (-1: any).
 */
export function argumentRefusal(info: CommandInfo, args: Record<string, unknown>, nameOf: TypeNamer = () => undefined, release = -1): string | null {
  for (const p of argumentProblems(info, args, 'mixed', release)) {
    const path = steps(p.path) ?? [];
    const desc = describe(p, info, args, path, nameOf);
    if (desc !== null) return desc;
  }
  return null;
}
