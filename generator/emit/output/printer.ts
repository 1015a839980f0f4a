/**
 * Turns a file's statements into formatted text: ts-morph prints them (as
 * its structures, with types and expressions already printed by the syntax
 * printers), prettier formats the result.  Both are slow to load (ts-morph
 * brings the TypeScript compiler), so this module is imported only when the
 * format cache misses.
 */
import * as prettier from 'prettier';
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type JSDocStructure,
  type OptionalKind,
  type ParameterDeclarationStructure,
  type StatementStructures,
} from 'ts-morph';
import { printExpr } from '../syntax/print-expr.js';
import type { BodyStatement, DocNode, FileSyntax, Parameter, Statement } from '../syntax/statements.js';
import { printType, propertyKey } from '../syntax/type-syntax.js';

/** Fixed, so that a user's prettier configuration cannot change the output. */
export const PRETTIER_OPTIONS: prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
};

function docs(list: readonly DocNode[]): OptionalKind<JSDocStructure>[] {
  return list.map((d) => (d.tags ? { description: d.description, tags: d.tags.map((t) => ({ ...t })) } : { description: d.description }));
}

function parameters(list: readonly Parameter[]): OptionalKind<ParameterDeclarationStructure>[] {
  return list.map((p) => ({ name: p.name, type: printType(p.type), hasQuestionToken: p.optional }));
}

function body(list: readonly BodyStatement[]): string[] {
  return list.map((s) => (s.kind === 'return' ? `return ${printExpr(s.value)};` : `${printExpr(s.value)};`));
}

function structure(s: Statement): StatementStructures {
  switch (s.kind) {
    case 'import':
      return {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: s.from,
        namedImports: [...s.names],
        ...(s.typeOnly ? { isTypeOnly: true } : {}),
      };
    case 'export-from':
      return {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: s.from,
        isTypeOnly: s.typeOnly,
        ...(s.names ? { namedExports: [...s.names] } : {}),
      };
    case 'interface':
      return {
        kind: StructureKind.Interface,
        name: s.name,
        isExported: true,
        docs: docs(s.docs),
        extends: s.extends.map(printType),
        properties: s.properties.map((p) => ({
          name: propertyKey(p.name),
          type: printType(p.type),
          hasQuestionToken: p.optional,
          docs: docs(p.docs ?? []),
        })),
      };
    case 'type':
      return {
        kind: StructureKind.TypeAlias,
        name: s.name,
        isExported: true,
        docs: docs(s.docs),
        typeParameters: s.typeParameters.map((p) => (p.constraint ? `${p.name} extends ${printType(p.constraint)}` : p.name)),
        type: printType(s.type),
      };
    case 'const':
      return {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        isExported: true,
        docs: docs(s.docs),
        declarations: [{ name: s.name, ...(s.type ? { type: printType(s.type) } : {}), initializer: printExpr(s.value) }],
      };
    case 'class':
      return {
        kind: StructureKind.Class,
        name: s.name,
        isExported: true,
        docs: docs(s.docs),
        extends: printType(s.extends),
        ctors: [{ parameters: parameters(s.ctor.parameters), statements: body(s.ctor.body) }],
        methods: s.methods.map((m) => ({
          name: m.name,
          docs: docs(m.docs),
          parameters: parameters(m.parameters),
          returnType: printType(m.returnType),
          statements: body(m.body),
        })),
      };
  }
}

/** Prints and formats one file's statements (without the header).  Each
 *  statement is printed on its own so that declarations are separated by a
 *  blank line (prettier keeps blank lines but never adds them). */
export async function printFile(file: FileSyntax): Promise<string> {
  const imports: string[] = [];
  const rest: string[] = [];
  for (const s of file.statements) {
    const text = printStructure(structure(s), { indentNumberOfSpaces: 2 });
    (s.kind === 'import' ? imports : rest).push(text.trim());
  }
  const text = [imports.join('\n'), ...rest].filter((t) => t !== '').join('\n\n');
  return prettier.format(`${text}\n`, PRETTIER_OPTIONS);
}
