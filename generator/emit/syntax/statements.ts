/**
 * The statements of a generated file as data: what the emitters produce and
 * the printer prints.  Plain data throughout (types are TypeNodes, values are
 * Exprs), so a file's statements can be hashed, cached or sent to a worker,
 * and a printer needs nothing else to print them.
 */
import type { PropertySignature, TypeNode } from './type-syntax.js';

/** A doc comment: text, then block tags in order. */
export interface DocNode {
  readonly description: string;
  readonly tags?: readonly { readonly tagName: string; readonly text?: string }[];
}

export type Expr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** A name: a declaration, a parameter, `this`, `super` or `undefined`. */
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'property'; readonly object: Expr; readonly name: string }
  | { readonly kind: 'array'; readonly elements: readonly Expr[] }
  | { readonly kind: 'object'; readonly properties: readonly { readonly key: string; readonly value: Expr }[] }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'new'; readonly callee: string; readonly typeArgs: readonly TypeNode[]; readonly args: readonly Expr[] }
  | { readonly kind: 'as'; readonly expr: Expr; readonly type: TypeNode };

/** A statement in a method or constructor body. */
export type BodyStatement = { readonly kind: 'return'; readonly value: Expr } | { readonly kind: 'expression'; readonly value: Expr };

export interface Parameter {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
}

export interface TypeParameter {
  readonly name: string;
  readonly constraint?: TypeNode;
}

export interface MethodDeclaration {
  readonly name: string;
  readonly docs: readonly DocNode[];
  readonly parameters: readonly Parameter[];
  readonly returnType: TypeNode;
  readonly body: readonly BodyStatement[];
}

/** Every declaration is exported: a generated file declares nothing else. */
export type Statement =
  | { readonly kind: 'import'; readonly from: string; readonly names: readonly string[]; readonly typeOnly: boolean }
  /** `export * from`, or `export { names } from` when names are given. */
  | { readonly kind: 'export-from'; readonly from: string; readonly names?: readonly string[]; readonly typeOnly: boolean }
  | {
      readonly kind: 'interface';
      readonly name: string;
      readonly docs: readonly DocNode[];
      readonly extends: readonly TypeNode[];
      readonly properties: readonly PropertySignature[];
    }
  | {
      readonly kind: 'type';
      readonly name: string;
      readonly docs: readonly DocNode[];
      readonly typeParameters: readonly TypeParameter[];
      readonly type: TypeNode;
    }
  | { readonly kind: 'const'; readonly name: string; readonly docs: readonly DocNode[]; readonly type?: TypeNode; readonly value: Expr }
  | {
      readonly kind: 'class';
      readonly name: string;
      readonly docs: readonly DocNode[];
      readonly extends: TypeNode;
      readonly ctor: { readonly parameters: readonly Parameter[]; readonly body: readonly BodyStatement[] };
      readonly methods: readonly MethodDeclaration[];
    };

/** The names a statement declares (and exports). */
export function declaredName(s: Statement): string | null {
  return s.kind === 'import' || s.kind === 'export-from' ? null : s.name;
}

/** One output file before printing. */
export interface FileSyntax {
  /** Path relative to the output directory, e.g. `block-core.ts`. */
  readonly path: string;
  /** The QAPI module it comes from (for the header), if any. */
  readonly module: string | null;
  /** What the file is about (its module's free-form docs), printed after
   *  the header. */
  readonly overview?: DocNode;
  readonly statements: readonly Statement[];
}

/** One line of generated documentation. */
export function docLine(text: string): DocNode[] {
  return [{ description: text }];
}

/** `export type NAME = TYPE`, documented. */
export function typeAlias(name: string, type: TypeNode, docs: readonly DocNode[] = []): Statement {
  return { kind: 'type', name, docs, typeParameters: [], type };
}

/** Constructors for expressions. */
export const ex = {
  literal: (value: string | number | boolean | null): Expr => ({ kind: 'literal', value }),
  id: (name: string): Expr => ({ kind: 'identifier', name }),
  prop: (object: Expr, name: string): Expr => ({ kind: 'property', object, name }),
  array: (elements: readonly Expr[]): Expr => ({ kind: 'array', elements }),
  call: (callee: Expr, ...args: Expr[]): Expr => ({ kind: 'call', callee, args }),
  new: (callee: string, typeArgs: readonly TypeNode[], ...args: Expr[]): Expr => ({ kind: 'new', callee, typeArgs, args }),
  as: (expr: Expr, type: TypeNode): Expr => ({ kind: 'as', expr, type }),
  /** Plain data (strings, numbers, booleans, null, arrays, objects) as an
   *  expression; `named` may give a part as an identifier instead. */
  data: (value: unknown, named: (value: unknown) => string | undefined = () => undefined): Expr => {
    const id = named(value);
    if (id !== undefined) return ex.id(id);
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return ex.literal(value);
    if (Array.isArray(value)) return ex.array(value.map((v) => ex.data(v, named)));
    if (typeof value === 'object') {
      return { kind: 'object', properties: Object.entries(value).map(([key, v]) => ({ key, value: ex.data(v, named) })) };
    }
    throw new Error(`cannot write ${typeof value} as a literal`);
  },
} as const;
