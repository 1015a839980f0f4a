/**
 * TypeScript types as data: emitters build these nodes, and printType turns
 * them into text in this one place, which owns precedence (when a member
 * needs brackets), array brackets and the quoting of property names.
 */
import type { DocNode } from './statements.js';

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
  | { readonly kind: 'mapped'; readonly parameter: string; readonly constraint: TypeNode; readonly type: TypeNode };

/** A property of an object type or interface, by its wire name (printing
 *  quotes it where it is not an identifier). */
export interface PropertySignature {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
  readonly docs?: readonly DocNode[];
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
  /** An intersection of one type is that type. */
  intersection: (members: readonly TypeNode[]): TypeNode => (members.length === 1 ? members[0]! : { kind: 'intersection', members }),
  object: (members: readonly PropertySignature[]): TypeNode => ({ kind: 'object', members }),
  property: (name: string, type: TypeNode, optional = false): PropertySignature => ({ name, type, optional }),
  indexed: (object: TypeNode, index: TypeNode): TypeNode => ({ kind: 'indexed', object, index }),
  keyof: (operand: TypeNode): TypeNode => ({ kind: 'keyof', operand }),
  mapped: (parameter: string, constraint: TypeNode, type: TypeNode): TypeNode => ({ kind: 'mapped', parameter, constraint, type }),
} as const;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A single-quoted TypeScript string literal (prettier's preferred quote). */
export function quote(text: string): string {
  const body = JSON.stringify(text)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'");
  return `'${body}'`;
}

/** A property key as written in a type or object literal: bare when it is an
 *  identifier, else a single-quoted string. */
export function propertyKey(wireName: string): string {
  return IDENTIFIER.test(wireName) ? wireName : quote(wireName);
}

/** How tightly a node binds: a member binding more loosely than its
 *  context needs brackets. */
function precedence(t: TypeNode): number {
  switch (t.kind) {
    case 'union':
      return 1;
    case 'intersection':
      return 2;
    case 'keyof':
      return 3;
    default:
      return 4;
  }
}

/** `t` printed where at least `min` precedence is needed. */
function operand(t: TypeNode, min: number): string {
  const text = printType(t);
  return precedence(t) < min ? `(${text})` : text;
}

/** The type as TypeScript source text, on one line. */
export function printType(t: TypeNode): string {
  switch (t.kind) {
    case 'keyword':
      return t.name;
    case 'reference':
      return t.args.length === 0 ? t.name : `${t.name}<${t.args.map(printType).join(', ')}>`;
    case 'literal':
      return typeof t.value === 'string' ? quote(t.value) : String(t.value);
    case 'array':
      return `${t.readonly ? 'readonly ' : ''}${operand(t.element, 4)}[]`;
    case 'union':
      // An intersection inside a union is bracketed too: the branches of a
      // discriminated union read better that way.
      return t.members.map((m) => operand(m, 3)).join(' | ');
    case 'intersection':
      return t.members.map((m) => operand(m, 3)).join(' & ');
    case 'object':
      return t.members.length === 0 ? '{}' : `{ ${t.members.map(printProperty).join('; ')} }`;
    case 'indexed':
      return `${operand(t.object, 4)}[${printType(t.index)}]`;
    case 'keyof':
      return `keyof ${operand(t.operand, 4)}`;
    case 'mapped':
      return `{ [${t.parameter} in ${printType(t.constraint)}]: ${printType(t.type)} }`;
  }
}

/** `name?: type`, without docs (they belong to the statement printer). */
export function printProperty(p: PropertySignature): string {
  return `${propertyKey(p.name)}${p.optional ? '?' : ''}: ${printType(p.type)}`;
}
