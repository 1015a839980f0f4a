/**
 * TypeScript types as data: emitters build these nodes, and the printer
 * (output/layout-types.ts) lays them out in one place, which owns
 * precedence (when a member needs brackets), array brackets and the
 * quoting of property names.
 */
import type { DocNode } from './doc-node.js';

export type KeywordName = 'string' | 'number' | 'bigint' | 'boolean' | 'null' | 'unknown' | 'undefined' | 'void' | 'never';

export type TypeNode =
  | { readonly kind: 'keyword'; readonly name: KeywordName }
  | { readonly kind: 'reference'; readonly name: string; readonly args: readonly TypeNode[] }
  | { readonly kind: 'literal'; readonly value: string | boolean }
  | { readonly kind: 'array'; readonly element: TypeNode; readonly readonly: boolean }
  | { readonly kind: 'union'; readonly members: readonly TypeNode[] }
  | { readonly kind: 'intersection'; readonly members: readonly TypeNode[] }
  | { readonly kind: 'object'; readonly members: readonly PropertySignature[] }
  | { readonly kind: 'indexed'; readonly object: TypeNode; readonly index: TypeNode }
  | { readonly kind: 'keyof'; readonly operand: TypeNode }
  | { readonly kind: 'mapped'; readonly parameter: string; readonly constraint: TypeNode; readonly type: TypeNode }
  /** A type predicate, as a return type: `this is T`. */
  | { readonly kind: 'predicate'; readonly parameter: string; readonly type: TypeNode };

/** A property of an object type or interface, by its wire name (printing
 *  quotes it where it is not an identifier). */
export interface PropertySignature {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
  readonly docs?: readonly DocNode[];
}

/** A type parameter of a declaration: `K`, `K extends C`, `K extends C = D`. */
export interface TypeParameter {
  readonly name: string;
  readonly constraint?: TypeNode;
  readonly default?: TypeNode;
}

/** Constructors, so that emitters read like the types they build. */
export const ty = {
  keyword: (name: KeywordName): TypeNode => ({ kind: 'keyword', name }),
  ref: (name: string, ...args: TypeNode[]): TypeNode => ({ kind: 'reference', name, args }),
  literal: (value: string | boolean): TypeNode => ({ kind: 'literal', value }),
  array: (element: TypeNode, readonly = false): TypeNode => ({ kind: 'array', element, readonly }),
  /** Nested unions are flattened; a union of one type is that type, and of
   *  none is `never`. */
  union: (members: readonly TypeNode[]): TypeNode => {
    const flat = members.flatMap((m) => (m.kind === 'union' ? m.members : [m]));
    return flat.length === 1 ? flat[0]! : flat.length === 0 ? ty.keyword('never') : { kind: 'union', members: flat };
  },
  /** Nested intersections are flattened; an intersection of one type is
   *  that type. */
  intersection: (members: readonly TypeNode[]): TypeNode => {
    const flat = members.flatMap((m) => (m.kind === 'intersection' ? m.members : [m]));
    return flat.length === 1 ? flat[0]! : { kind: 'intersection', members: flat };
  },
  object: (members: readonly PropertySignature[]): TypeNode => ({ kind: 'object', members }),
  property: (name: string, type: TypeNode, optional = false): PropertySignature => ({ name, type, optional }),
  indexed: (object: TypeNode, index: TypeNode): TypeNode => ({ kind: 'indexed', object, index }),
  keyof: (operand: TypeNode): TypeNode => ({ kind: 'keyof', operand }),
  mapped: (parameter: string, constraint: TypeNode, type: TypeNode): TypeNode => ({ kind: 'mapped', parameter, constraint, type }),
  predicate: (parameter: string, type: TypeNode): TypeNode => ({ kind: 'predicate', parameter, type }),
} as const;
