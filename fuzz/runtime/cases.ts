/**
 * Deep values for the runtime: a recursive struct (`Node`, a chain of
 * `child`ren), a struct of lists of itself (`Tree`), and `any` values
 * nested as arrays or objects, each some levels deep (up to 100 000, drawn
 * evenly over orders of magnitude), placed in an event the peer sends, in
 * a reply to a command (read raw and through the bindings), or given to
 * `registry.check` (as a value, or one that holds itself).  The schema
 * below is generated into bindings the runtime target reads them with.
 */
import type { Rng } from '../random.js';

export const DEEP_SCHEMA = `{ 'struct': 'Node', 'data': { 'val': 'int', '*child': 'Node' } }
{ 'struct': 'Tree', 'data': { 'kids': [ 'Tree' ] } }
{ 'struct': 'Holder', 'data': { 'v': 'any' } }
{ 'event': 'DEEP_NODE', 'data': { 'n': 'Node' } }
{ 'event': 'DEEP_TREE', 'data': { 'n': 'Tree' } }
{ 'event': 'DEEP_ANY', 'data': { 'n': 'any' } }
{ 'event': 'MARK' }
{ 'command': 'deep-node', 'returns': 'Node' }
{ 'command': 'deep-tree', 'returns': 'Tree' }
{ 'command': 'deep-any', 'returns': 'Holder' }
{ 'command': 'ping' }
`;

export const SHAPES = ['node', 'tree', 'any-array', 'any-object'] as const;
export type Shape = (typeof SHAPES)[number];

export const PLACEMENTS = ['event', 'reply', 'reply-bindings', 'check', 'check-cycle'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface DeepCase {
  readonly shape: Shape;
  readonly placement: Placement;
  /** Levels of JSON nesting (objects and arrays) of the value. */
  readonly depth: number;
}

/** Up to this many levels, every reader must take a value as it is (QEMU's
 *  own parser allows 1024 levels per message). */
export const ALWAYS_READ = 500;

export function drawCase(rng: Rng): DeepCase {
  return { shape: rng.pick(SHAPES), placement: rng.pick(PLACEMENTS), depth: rng.logBetween(2, 100_000) };
}

export function describeCase(c: DeepCase): string {
  return `${c.shape} ${c.depth} levels deep, in ${c.placement}`;
}

/** The QAPI type, event and command of a shape. */
export function namesOf(shape: Shape): { type: string; event: string; command: string } {
  switch (shape) {
    case 'node':
      return { type: 'Node', event: 'DEEP_NODE', command: 'deep-node' };
    case 'tree':
      return { type: 'Tree', event: 'DEEP_TREE', command: 'deep-tree' };
    default:
      return { type: 'Holder', event: 'DEEP_ANY', command: 'deep-any' };
  }
}

/** The value as JSON text, `depth` levels deep (as the type of namesOf(shape) holds it). */
export function valueText(shape: Shape, depth: number): string {
  switch (shape) {
    case 'node':
      return `${'{"val":1,"child":'.repeat(depth - 1)}{"val":1}${'}'.repeat(depth - 1)}`;
    case 'tree': {
      // A Tree level is an object and its list: two levels of nesting.
      const trees = Math.max(1, Math.ceil(depth / 2));
      return `${'{"kids":['.repeat(trees - 1)}{"kids":[]}${']}'.repeat(trees - 1)}`;
    }
    case 'any-array':
      return `{"v":${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}}`;
    case 'any-object':
      return `{"v":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;
  }
}

/** The value as the bindings hold it (64-bit integers as numbers), built
 *  without recursion; with `cyclic`, its innermost level holds the outermost. */
export function valueOf(shape: Shape, depth: number, cyclic = false): unknown {
  switch (shape) {
    case 'node': {
      const outer: Record<string, unknown> = { val: 1 };
      let at = outer;
      for (let level = 1; level < depth; level++) at = (at.child = { val: 1 }) as Record<string, unknown>;
      if (cyclic) at.child = outer;
      return outer;
    }
    case 'tree': {
      const outer = { kids: [] as unknown[] };
      let at = outer;
      for (let level = 1; level < Math.max(1, Math.ceil(depth / 2)); level++) {
        const next = { kids: [] as unknown[] };
        at.kids.push(next);
        at = next;
      }
      if (cyclic) at.kids.push(outer);
      return outer;
    }
    case 'any-array': {
      const outer: unknown[] = [];
      let at = outer;
      // The holder, then depth - 1 arrays.
      for (let level = 2; level < depth; level++) at.push((at = []));
      at.push(cyclic ? outer : 1);
      return { v: outer };
    }
    case 'any-object': {
      const outer: Record<string, unknown> = {};
      let at = outer;
      for (let level = 2; level < depth; level++) at = (at.a = {}) as Record<string, unknown>;
      at.a = cyclic ? outer : 1;
      return { v: outer };
    }
  }
}

/** The levels a value of `depth` levels has in `shape` (a Tree's come in twos). */
export function levelsOf(shape: Shape, depth: number): number {
  return shape === 'tree' ? 2 * Math.max(1, Math.ceil(depth / 2)) : depth;
}

/** How many levels deep a value read back is, counted without recursion
 *  (the first child of each level); null when it is not the shape. */
export function depthOf(shape: Shape, value: unknown): number | null {
  // An `any` value's holder is its first level.
  let levels = shape.startsWith('any') ? 1 : 0;
  let at: unknown = shape === 'node' || shape === 'tree' ? value : (value as { v?: unknown } | null)?.v;
  for (let guard = 0; guard < 1_000_000; guard++) {
    if (at === null || typeof at !== 'object') return shape.startsWith('any') ? levels : null;
    levels += shape === 'tree' ? 2 : 1;
    if (shape === 'node') {
      const next = (at as { child?: unknown }).child;
      if (next === undefined) return levels;
      at = next;
    } else if (shape === 'tree') {
      const kids = (at as { kids?: unknown[] }).kids;
      if (!Array.isArray(kids)) return null;
      if (kids.length === 0) return levels;
      at = kids[0];
    } else if (shape === 'any-array') {
      if (!Array.isArray(at)) return null;
      at = at[0];
    } else {
      at = (at as { a?: unknown }).a;
    }
  }
  return null;
}
