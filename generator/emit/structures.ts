/**
 * What the emitters produce: ts-morph structures (plain data, without their
 * `kind`), tagged by what they declare.  Being plain data, a file's
 * structures can be hashed to find its formatted text in the cache before
 * ts-morph (slow to load) is even imported; print.ts adds the kinds.
 */
import type {
  ClassDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  OptionalKind,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from 'ts-morph';

export type Statement =
  | { readonly tag: 'import'; readonly structure: OptionalKind<ImportDeclarationStructure> }
  /** `export * from`, or `export { names } from` when names are given. */
  | { readonly tag: 'export'; readonly moduleSpecifier: string; readonly typeOnly: boolean; readonly names?: readonly string[] }
  | { readonly tag: 'interface'; readonly structure: OptionalKind<InterfaceDeclarationStructure> }
  | { readonly tag: 'type'; readonly structure: OptionalKind<TypeAliasDeclarationStructure> }
  | { readonly tag: 'variable'; readonly structure: OptionalKind<VariableStatementStructure> }
  | { readonly tag: 'class'; readonly structure: OptionalKind<ClassDeclarationStructure> };

/** `export type NAME = TYPE`, documented by a line of text or by built docs. */
export function exportedType(
  name: string,
  type: string,
  docs?: string | OptionalKind<TypeAliasDeclarationStructure>['docs'],
): Statement {
  const built = typeof docs === 'string' ? [{ description: docs }] : docs;
  return { tag: 'type', structure: { name, isExported: true, ...(built ? { docs: built } : {}), type } };
}

/** One output file before printing. */
export interface FileStructure {
  /** Path relative to the output directory, e.g. `block-core.ts`. */
  readonly path: string;
  /** The QAPI module it comes from (for the header), if any. */
  readonly module: string | null;
  readonly statements: readonly Statement[];
}

/** One output file as written. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}
