/**
 * Pairs introspected types with a source schema's types by walking both
 * from the same commands and events: a command's arguments with its
 * arguments, a member's type with the same member's type, a variant with
 * the same case, an array's element with the element, an alternate's
 * branch with the branch that arrives as the same kind of JSON.  The first
 * pairing a type gets (breadth first, in the order QEMU reports commands and
 * events) is the one kept.
 */
import type { QapiType, SchemaModel } from '../model/types.js';
import { jsonKindOfType } from 'qapi-ts-runtime/type-rules';
import { jsonKindOf, type IntrospectionGraph, type TypeNode } from './graph.js';

/** The source branch of an alternate that arrives as the same JSON as `branch`. */
export function sourceBranchFor(source: QapiType, branch: TypeNode): { name: string; type: QapiType } | null {
  if (source.kind !== 'alternate') return null;
  const kind = jsonKindOf(branch);
  const v = source.variants.variants.find((x) => jsonKindOfType(x.type) === kind);
  return v ? { name: v.name, type: v.type } : null;
}

export function pairWithSource(graph: IntrospectionGraph, source: SchemaModel): Map<TypeNode, QapiType> {
  const pairs = new Map<TypeNode, QapiType>();
  const queue: [TypeNode, QapiType][] = [];
  for (const r of graph.roots) {
    const s = source.lookupEntity(r.info.name);
    if (s?.kind !== r.kind || (s.kind !== 'command' && s.kind !== 'event')) continue;
    if (r.arg && s.argType) queue.push([r.arg, s.argType]);
    if (r.kind === 'command' && s.kind === 'command' && r.ret && s.retType) queue.push([r.ret, s.retType]);
  }
  for (let i = 0; i < queue.length; i++) {
    const [node, s] = queue[i]!;
    if (pairs.has(node) || node.kind !== s.kind) continue;
    pairs.set(node, s);
    if (node.kind === 'array' && s.kind === 'array') {
      queue.push([node.element, s.elementType]);
    } else if (node.kind === 'object' && s.kind === 'object') {
      for (const m of node.members) {
        const sm = s.members.find((x) => x.name === m.info.name);
        if (sm) queue.push([m.type, sm.type]);
      }
      for (const v of node.variants) {
        const sv = s.variants?.variants.find((x) => x.name === v.case);
        if (sv) queue.push([v.type, sv.type]);
      }
    } else if (node.kind === 'alternate') {
      for (const b of node.branches) {
        const sb = sourceBranchFor(s, b);
        if (sb) queue.push([b, sb.type]);
      }
    }
  }
  return pairs;
}
