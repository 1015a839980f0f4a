/**
 * Names for introspected types.  QEMU reports type names as numbers, which
 * change whenever the schema does; bindings need names a reader recognises
 * and that stay the same from one run to the next.
 *
 * With a source schema (--names-from), a type paired with a named source
 * type (see pairing.ts) takes that name.  Every other type is named after
 * its first use, breadth first from the commands and events in the order
 * QEMU reports them, so a type used both directly and deep inside another
 * gets the shorter name:
 *
 *   block-commit's arguments        BlockCommitArguments
 *   query-status's return value     QueryStatusReturn
 *   query-block's list elements     QueryBlockReturnElement
 *   BLOCK_JOB_COMPLETED's data      BlockJobCompletedData
 *   member 'inserted' of X          XInserted (array members too)
 *   branch 'file' of union X        XFile
 *   an alternate X's object branch  XObject
 *
 * Objects that only carry one command's arguments (or one event's data)
 * stay unnamed: the model makes them its implicit argument types, exactly
 * as for a schema with inline 'data'.
 */
import type { QapiType } from '../model/types.js';
import { isEmptyObject, type AlternateNode, type IntrospectionGraph, type ObjectNode, type TypeNode } from './graph.js';
import { sourceBranchFor } from './pairing.js';

/** Why a type has its name, for its documentation. */
export type NameOrigin = { readonly kind: 'borrowed' } | { readonly kind: 'derived'; readonly use: string };

export interface Naming {
  /** The definition name of every named type. */
  readonly names: ReadonlyMap<TypeNode, string>;
  readonly origins: ReadonlyMap<TypeNode, NameOrigin>;
  /** Objects written inline as a command's arguments or an event's data. */
  readonly inline: ReadonlySet<ObjectNode>;
  /** Branch names of each alternate (introspection does not report them). */
  readonly branchNames: ReadonlyMap<AlternateNode, readonly string[]>;
  /** Named types in the order they were named (breadth first). */
  readonly order: readonly TypeNode[];
}

/** `block-commit` → `BlockCommit`, `BLOCK_JOB_COMPLETED` → `BlockJobCompleted`,
 *  `__com.example_foo` → `ComExampleFoo`: a part of a QAPI type name. */
function typeNamePart(name: string): string {
  const shout = name === name.toUpperCase();
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + (shout ? w.slice(1).toLowerCase() : w.slice(1)))
    .join('');
}

/** A branch name for an alternate's branch, from what it is. */
function branchWord(t: TypeNode): string {
  switch (t.kind) {
    case 'builtin':
      return t.jsonType;
    case 'array':
      return 'list';
    default:
      return t.kind;
  }
}

/** Names that are the model's own, or its way of naming arrays. */
const MODEL_NAMES = ['QType', 'q_empty'];

class Allocator {
  private readonly taken = new Set<string>(MODEL_NAMES);

  reserve(name: string): void {
    this.taken.add(name);
  }

  allocate(wanted: string): string {
    // 'XList' is how the model names the array of X: never take it.
    const base = wanted.endsWith('List') ? `${wanted}Type` : wanted;
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }
}

interface Use {
  readonly node: TypeNode;
  readonly suggested: string;
  readonly use: string;
  /** The node is a command's inline arguments: named by the model. */
  readonly inline?: boolean;
}

/** Whether an object can be written inline as arguments or event data:
 *  used there only, with nothing a definition of its own would carry. */
function inlinable(node: ObjectNode, uses: ReadonlyMap<TypeNode, number>, paired: QapiType | undefined): boolean {
  if (uses.get(node) !== 1 || node.variants.length > 0 || node.info.features.length > 0) return false;
  // A source schema that names the type wins over the guess.
  return paired === undefined || (paired.kind === 'object' && (paired.role?.kind === 'command-arguments' || paired.role?.kind === 'event-data'));
}

function countUses(graph: IntrospectionGraph): Map<TypeNode, number> {
  const uses = new Map<TypeNode, number>();
  const use = (t: TypeNode | null): void => {
    if (t) uses.set(t, (uses.get(t) ?? 0) + 1);
  };
  for (const c of graph.commands) {
    use(c.arg);
    use(c.ret);
  }
  for (const e of graph.events) use(e.arg);
  for (const t of graph.types) {
    if (t.kind === 'array') use(t.element);
    else if (t.kind === 'object') {
      for (const m of t.members) use(m.type);
      for (const v of t.variants) use(v.type);
    } else if (t.kind === 'alternate') for (const b of t.branches) use(b);
  }
  return uses;
}

export function nameTypes(graph: IntrospectionGraph, paired: ReadonlyMap<TypeNode, QapiType>): Naming {
  const uses = countUses(graph);
  const ids = new Allocator();
  const borrowed = new Map<TypeNode, string>();
  const borrowedNames = new Set<string>();
  for (const [node, s] of paired) {
    const named = s.kind === 'enum' || s.kind === 'alternate' || (s.kind === 'object' && !s.implicit);
    // Two reported types paired with one source type: the first keeps its name.
    if (named && node.kind !== 'builtin' && node.kind !== 'array' && !borrowedNames.has(s.name)) {
      borrowed.set(node, s.name);
      borrowedNames.add(s.name);
      ids.reserve(s.name);
    }
  }

  const queue: Use[] = [];
  const root = (node: TypeNode | null, owner: string, role: 'Arguments' | 'Data' | 'Return', use: string): void => {
    if (node === null) return;
    const suggested = `${typeNamePart(owner)}${role}`;
    if (node.kind === 'object' && role !== 'Return' && inlinable(node, uses, paired.get(node))) {
      ids.reserve(suggested);
      queue.push({ node, suggested, use, inline: true });
    } else if (node.kind === 'array') {
      queue.push({ node: node.element, suggested: `${suggested}Element`, use: `the elements of ${use}` });
    } else {
      queue.push({ node, suggested, use });
    }
  };
  for (const r of graph.roots) {
    if (r.kind === 'event') {
      root(r.arg, r.info.name, 'Data', `the data of event @${r.info.name}`);
    } else {
      root(r.arg, r.info.name, 'Arguments', `the arguments of @${r.info.name}`);
      root(r.ret, r.info.name, 'Return', `the return value of @${r.info.name}`);
    }
  }

  const names = new Map<TypeNode, string>();
  const origins = new Map<TypeNode, NameOrigin>();
  const inline = new Set<ObjectNode>();
  const branchNames = new Map<AlternateNode, string[]>();
  const order: TypeNode[] = [];
  const visited = new Set<TypeNode>();
  for (let i = 0; i < queue.length; i++) {
    const { node, suggested, use, inline: isInline } = queue[i]!;
    if (node.kind === 'array') {
      queue.push({ node: node.element, suggested, use });
      continue;
    }
    if (node.kind === 'builtin' || visited.has(node)) continue;
    visited.add(node);
    let name: string;
    if (isInline && node.kind === 'object') {
      inline.add(node);
      name = suggested;
    } else {
      const b = borrowed.get(node);
      name = b ?? ids.allocate(suggested);
      names.set(node, name);
      origins.set(node, b !== undefined ? { kind: 'borrowed' } : { kind: 'derived', use });
      order.push(node);
    }
    const child = (t: TypeNode, part: string, what: string): void => {
      queue.push({ node: t, suggested: `${name}${typeNamePart(part)}`, use: what });
    };
    if (node.kind === 'object') {
      for (const m of node.members) child(m.type, m.info.name, `member '${m.info.name}' of ${isInline ? use : `@${name}`}`);
      // An empty variant is no type of its own: the model gives it q_empty.
      for (const v of node.variants) if (!isEmptyObject(v.type)) child(v.type, v.case, `the variant '${v.case}' of @${name}`);
    } else if (node.kind === 'alternate') {
      const s = paired.get(node);
      const branches = node.branches.map((b) => (s ? sourceBranchFor(s, b)?.name : undefined) ?? branchWord(b));
      branchNames.set(node, branches);
      node.branches.forEach((b, j) => child(b, branches[j]!, `the branch '${branches[j]}' of @${name}`));
    }
  }
  return { names, origins, inline, branchNames, order };
}
