/**
 * Drift: what a QEMU binary reports about itself (its introspection)
 * against what its source schema says.  A binary is built without some of
 * the schema's 'if' conditions, and leaves out what they guard; every such
 * absence is explained by its condition.  Anything else that differs is
 * unexplained: something the binary has that the schema lacks, a missing
 * part with no condition, a changed type or optional-ness.
 *
 * Explanations are checked for consistency: a condition seen to hold (some
 * part under it is present) cannot also explain an absence.
 */
import type { IfCondition, QapiType, SchemaModel } from '../model/types.js';
import { conditionText } from '../common/conditions.js';
import { compareModels, type Difference, type Node, type Root } from './compare.js';
import { placesOf } from './places.js';

export interface DriftItem {
  /** The schema's type where it differs (`struct BlockdevOptionsFile`), or the command or event and the path. */
  readonly where: string;
  /** What differs, in words. */
  readonly what: string;
  readonly difference: Difference;
  /** The condition that explains it (explained items), as text. */
  readonly condition: string | null;
}

export interface DriftReport {
  readonly unexplained: readonly DriftItem[];
  readonly explained: readonly DriftItem[];
}

const KIND_WORD = { enum: 'enum', alternate: 'alternate', array: 'array', builtin: 'built-in' } as const;

function typeLabel(t: QapiType): string | null {
  if (t.kind === 'object') return t.implicit ? null : `${t.meta} ${t.name}`;
  return t.kind === 'builtin' || t.kind === 'array' ? null : `${KIND_WORD[t.kind]} ${t.name}`;
}

/** Where a node is, in the schema's terms. */
function whereOf(node: Node, root: Root, path: string): string {
  const [a] = node.types ?? [null];
  const named = a ? typeLabel(a) : null;
  return named ?? `${root.kind} ${root.name}${path === '' ? '' : ` ${path}`}`;
}

/** A difference in words, from the schema's side ('removed': only in the schema). */
function driftWords(d: Difference): string {
  switch (d.kind) {
    case 'presence': {
      const what = d.element === 'command' || d.element === 'event' ? `the ${d.element}` : `${d.element} '${d.name}'`;
      const of = d.carrier ? ` of ${d.carrier}` : '';
      return d.change === 'removed' ? `${what}${of}: only in the schema` : `${what}${of}: only in the binary`;
    }
    case 'optional':
      return `member '${d.name}' is ${d.change === 'optional' ? 'required in the schema, optional in the binary' : 'optional in the schema, required in the binary'}`;
    case 'type':
      return `${d.place}: the type is ${d.from} in the schema, ${d.to} in the binary`;
    case 'flag':
      return `'${d.flag}' is ${d.from} in the schema, ${d.to} in the binary`;
  }
}

/** Symbols the evidence says are defined (true) or not (false). */
function assign(cond: IfCondition, value: boolean, into: Map<string, Set<boolean>>): void {
  switch (cond.kind) {
    case 'name': {
      const seen = into.get(cond.name) ?? new Set<boolean>();
      seen.add(value);
      into.set(cond.name, seen);
      return;
    }
    case 'not':
      return assign(cond.operand, !value, into);
    case 'all':
      // Only a true 'all' says something about each operand.
      if (value) for (const c of cond.operands) assign(c, true, into);
      return;
    case 'any':
      if (!value) for (const c of cond.operands) assign(c, false, into);
      return;
  }
}

function symbols(cond: IfCondition): string[] {
  switch (cond.kind) {
    case 'name':
      return [cond.name];
    case 'not':
      return symbols(cond.operand);
    default:
      return cond.operands.flatMap(symbols);
  }
}

export function drift(schema: SchemaModel, binary: SchemaModel): DriftReport {
  const comparison = compareModels(schema, binary, { exactIntegers: false });
  const items: { item: DriftItem; cond: IfCondition | null }[] = [];
  const reported = new Set<Node>();
  for (const root of comparison.roots) {
    for (const { node, path } of placesOf(root)) {
      // A type shared by many commands is reported once, where first reached.
      if (reported.has(node)) continue;
      reported.add(node);
      for (const d of node.differences) {
        const cond = d.kind === 'presence' && d.change === 'removed' ? d.on.ifcond : null;
        items.push({ item: { where: whereOf(node, root, path), what: driftWords(d), difference: d, condition: cond ? conditionText(cond) : null }, cond });
      }
    }
  }
  const evidence = new Map<string, Set<boolean>>();
  for (const c of comparison.present) assign(c, true, evidence);
  for (const { cond } of items) if (cond) assign(cond, false, evidence);
  const contradicted = new Set([...evidence].filter(([, values]) => values.size > 1).map(([name]) => name));
  const explained: DriftItem[] = [];
  const unexplained: DriftItem[] = [];
  for (const { item, cond } of items) {
    if (cond === null) {
      unexplained.push(item);
      continue;
    }
    const conflict = symbols(cond).filter((s) => contradicted.has(s));
    if (conflict.length === 0) explained.push(item);
    else {
      const which = conflict.map((s) => `'${s}'`).join(', ');
      unexplained.push({ ...item, what: `${item.what} (under ${item.condition}, but ${which} holds elsewhere in the binary)`, condition: null });
    }
  }
  return { unexplained, explained };
}
