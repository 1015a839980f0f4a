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
 */
import { QmpInexactIntegerError } from './errors.js';
import { child } from './paths.js';
import { jsonKindOfDescriptor, type TypeDescriptor } from './tables.js';
import { builtinType, chooseBranch, followsInt64Mode, type Int64Mode, type JsonKind } from './type-rules.js';

type Lookup = (name: string) => TypeDescriptor | undefined;

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

export class ValueReader {
  /** Types that reach a built-in whose values change: only their values are walked. */
  private affected: Set<string> | undefined;

  constructor(
    private readonly lookup: Lookup,
    private readonly mode: Int64Mode,
    /** Every type name, for finding the affected ones. */
    private readonly names: () => Iterable<string>,
  ) {}

  /** `value` as a `type`, changed in place; see the module comment.
   *  `where` and `path` name it in an error. */
  read(type: string, value: unknown, path: string, where: string): unknown {
    if (!this.isAffected(type)) return value;
    try {
      return this.visit(type, value, path);
    } catch (err) {
      if (err instanceof Inexact) throw new QmpInexactIntegerError(where, err.path, err.value);
      throw err;
    }
  }

  private visit(type: string, value: unknown, path: string): unknown {
    const d = this.lookup(type);
    if (d === undefined || !this.isAffected(type)) return value;
    switch (d.kind) {
      case 'builtin':
        return this.scalar(ruleOf(d.type, this.mode), value, path);
      case 'enum':
        return value;
      case 'array':
        if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = this.visit(d.element, value[i], `${path}[${i}]`);
        return value;
      case 'alternate': {
        const chosen = chooseBranch(d.branches, (b) => this.jsonKindOf(b), value);
        return chosen.branch === undefined ? value : this.visit(chosen.branch, value, path);
      }
      case 'object':
        if (isRecord(value)) this.members(d, value, path);
        return value;
    }
  }

  private members(d: TypeDescriptor & { kind: 'object' }, value: Record<string, unknown>, path: string): void {
    for (const [name, type] of d.members) {
      if (Object.hasOwn(value, name)) value[name] = this.visit(type, value[name], child(path, name));
    }
    if (d.tag === undefined || d.cases === undefined) return;
    const tag = value[d.tag];
    const branch = d.cases.find(([v]) => v === tag);
    const branchType = branch === undefined ? undefined : this.lookup(branch[1]);
    if (branchType?.kind === 'object') this.members(branchType, value, path);
  }

  private scalar(rule: Rule, value: unknown, path: string): unknown {
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

  private jsonKindOf(name: string): JsonKind | null {
    return jsonKindOfDescriptor(this.lookup(name));
  }

  /**
   * Whether values of a type may change: it reaches, through members,
   * branches and elements, a built-in whose rule is not `as-parsed`.
   * Found for every type at once, from those built-ins backwards.
   */
  private isAffected(type: string): boolean {
    if (this.affected === undefined) {
      const users = new Map<string, string[]>();
      const roots: string[] = [];
      for (const name of this.names()) {
        const d = this.lookup(name);
        if (d === undefined) continue;
        for (const used of usedTypes(d)) {
          const list = users.get(used);
          if (list === undefined) users.set(used, [name]);
          else list.push(name);
        }
        if (d.kind === 'builtin' && ruleOf(d.type, this.mode) !== 'as-parsed') roots.push(name);
      }
      const affected = new Set(roots);
      for (let i = 0; i < roots.length; i++) {
        for (const user of users.get(roots[i]!) ?? []) {
          if (!affected.has(user)) {
            affected.add(user);
            roots.push(user);
          }
        }
      }
      this.affected = affected;
    }
    return this.affected.has(type);
  }
}

/** The types a descriptor refers to directly. */
function usedTypes(d: TypeDescriptor): string[] {
  switch (d.kind) {
    case 'builtin':
    case 'enum':
      return [];
    case 'array':
      return [d.element];
    case 'alternate':
      return [...d.branches];
    case 'object':
      return [...d.members.map(([, type]) => type), ...(d.cases ?? []).map(([, type]) => type)];
  }
}
