/**
 * The statements of a generated file as data: what the emitters produce and
 * the printer prints.  Plain data throughout (types are TypeNodes, values are
 * Exprs), written once and printed for each target: TypeScript, or plain
 * JavaScript with its declarations beside it (output/render.ts, by --target).
 */
import type { PropertySignature, TypeNode, TypeParameter } from './type-syntax.js';

import type { DocNode } from './doc-node.js';

export type { DocNode } from './doc-node.js';
export type { TypeParameter } from './type-syntax.js';


/** What a call passes: names, member names, literals. */
export type Argument =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** A name: a declaration, a parameter, `this`, `super` or `undefined`. */
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'property'; readonly object: Argument; readonly name: string };

export type Expr =
  | Argument
  | { readonly kind: 'array'; readonly elements: readonly Expr[] }
  | { readonly kind: 'object'; readonly properties: readonly { readonly key: string; readonly value: Expr }[] }
  /** A call of a function by name (or of `super`), with type arguments
   *  (TypeScript only) when given. */
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Argument[]; readonly typeArgs?: readonly TypeNode[] }
  /** `new C<T>(...)`; `pure` marks it free of side effects for bundlers. */
  | {
      readonly kind: 'new';
      readonly callee: string;
      readonly typeArgs: readonly TypeNode[];
      readonly args: readonly Argument[];
      readonly pure: boolean;
    }
  | { readonly kind: 'as'; readonly expr: Expr; readonly type: TypeNode }
  /** `() => name`: a reference taken when it is needed, not when the
   *  module loads (declarations may come later, modules may import each
   *  other). */
  | { readonly kind: 'thunk'; readonly name: string };

/** A statement in a method, constructor or function body. */
export type BodyStatement = { readonly kind: 'return'; readonly value: Expr } | { readonly kind: 'expression'; readonly value: Expr };

/** A parameter; one named `this` types the receiver (TypeScript only). */
export interface Parameter {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
}

export interface MethodDeclaration {
  readonly name: string;
  readonly docs: readonly DocNode[];
  readonly typeParameters?: readonly TypeParameter[];
  readonly parameters: readonly Parameter[];
  readonly returnType: TypeNode;
  readonly body: readonly BodyStatement[];
}

/** Every declaration is exported: a generated file declares nothing else. */
export type Statement =
  /** `export * from`, or `export { names } from` when names are given. */
  | { readonly kind: 'export-from'; readonly from: string; readonly names?: readonly string[]; readonly typeOnly: boolean }
  | {
      readonly kind: 'interface';
      readonly name: string;
      readonly docs: readonly DocNode[];
      readonly typeParameters?: readonly TypeParameter[];
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
  /** The type is printed where types are (it declares the constant). */
  | { readonly kind: 'const'; readonly name: string; readonly docs: readonly DocNode[]; readonly type: TypeNode; readonly value: Expr }
  | ({ readonly kind: 'function' } & MethodDeclaration)
  | {
      readonly kind: 'class';
      readonly name: string;
      readonly docs: readonly DocNode[];
      readonly typeParameters?: readonly TypeParameter[];
      /** The base class: a reference, its arguments types. */
      readonly extends: { readonly name: string; readonly args: readonly TypeNode[] };
      readonly ctor: { readonly parameters: readonly Parameter[]; readonly body: readonly BodyStatement[] };
      readonly methods: readonly MethodDeclaration[];
    };

/** The name a statement declares (and exports). */
export function declaredName(s: Statement): string | null {
  return s.kind === 'export-from' ? null : s.name;
}

/** The names a statement binds inside itself: parameters (of functions,
 *  methods, constructors) and type parameters (of generic types, and of
 *  mapped types anywhere in its types). */
export function localNames(s: Statement): string[] {
  const names: string[] = [];
  const params = (ps: readonly Parameter[]): void => {
    for (const p of ps) {
      // A `this` parameter types `this`; it binds no name.
      if (p.name !== 'this') names.push(p.name);
      mappedParameters(p.type, names);
    }
  };
  switch (s.kind) {
    case 'function':
      params(s.parameters);
      mappedParameters(s.returnType, names);
      break;
    case 'class':
      params(s.ctor.parameters);
      for (const m of s.methods) {
        params(m.parameters);
        mappedParameters(m.returnType, names);
      }
      break;
    case 'type':
      for (const p of s.typeParameters) names.push(p.name);
      mappedParameters(s.type, names);
      break;
    case 'interface':
      for (const p of s.properties) mappedParameters(p.type, names);
      break;
    case 'const':
      mappedParameters(s.type, names);
      break;
    case 'export-from':
      break;
  }
  return names;
}

function mappedParameters(t: TypeNode, into: string[]): void {
  switch (t.kind) {
    case 'mapped':
      into.push(t.parameter);
      mappedParameters(t.constraint, into);
      mappedParameters(t.type, into);
      break;
    case 'reference':
      for (const a of t.args) mappedParameters(a, into);
      break;
    case 'array':
      mappedParameters(t.element, into);
      break;
    case 'union':
    case 'intersection':
      for (const m of t.members) mappedParameters(m, into);
      break;
    case 'object':
      for (const m of t.members) mappedParameters(m.type, into);
      break;
    case 'indexed':
      mappedParameters(t.object, into);
      mappedParameters(t.index, into);
      break;
    case 'keyof':
      mappedParameters(t.operand, into);
      break;
    case 'keyword':
    case 'literal':
      break;
  }
}

/** A name a file imports, and the module it comes from. */
export interface ImportedName {
  readonly name: string;
  readonly from: string;
}

/** One output file before printing. */
export interface FileSyntax {
  /** Its name in the output directory, without extension (`block-core`). */
  readonly stem: string;
  /** The QAPI module it comes from (for the header), if any. */
  readonly module: string | null;
  /** Every name it takes from elsewhere; the printer writes the imports
   *  each target needs (a name used only as a type is imported as one). */
  readonly imports: readonly ImportedName[];
  /** What the file is about (its module's free-form docs), printed after
   *  the header where doc comments are printed. */
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
  literal: (value: string | number | boolean | null): Argument => ({ kind: 'literal', value }),
  id: (name: string): Argument => ({ kind: 'identifier', name }),
  prop: (object: Argument, name: string): Argument => ({ kind: 'property', object, name }),
  array: (elements: readonly Expr[]): Expr => ({ kind: 'array', elements }),
  object: (properties: readonly { readonly key: string; readonly value: Expr }[]): Expr => ({ kind: 'object', properties }),
  call: (callee: string, ...args: Argument[]): Expr => ({ kind: 'call', callee, args }),
  /** `callee<T>(args)`: type arguments in TypeScript only. */
  callTyped: (callee: string, typeArgs: readonly TypeNode[], ...args: Argument[]): Expr =>
    typeArgs.length === 0 ? { kind: 'call', callee, args } : { kind: 'call', callee, args, typeArgs },
  /** `new C<T>(args)`, marked free of side effects. */
  newPure: (callee: string, typeArgs: readonly TypeNode[], ...args: Argument[]): Expr => ({ kind: 'new', callee, typeArgs, args, pure: true }),
  as: (expr: Expr, type: TypeNode): Expr => ({ kind: 'as', expr, type }),
  thunk: (name: string): Expr => ({ kind: 'thunk', name }),
  /** Plain data (strings, booleans, null, arrays, objects) as an
   *  expression; `named` may give a part as an expression of its own. */
  data: (value: unknown, named: (value: unknown) => Expr | undefined = () => undefined): Expr => {
    const given = named(value);
    if (given !== undefined) return given;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return ex.literal(value);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return ex.literal(value);
    if (Array.isArray(value)) return ex.array(value.map((v) => ex.data(v, named)));
    if (typeof value === 'object') return ex.object(Object.entries(value).map(([key, v]) => ({ key, value: ex.data(v, named) })));
    throw new Error(`cannot write ${typeof value} as a literal`);
  },
} as const;
