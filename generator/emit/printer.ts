/**
 * Turns file structures into formatted text: ts-morph prints the
 * structures, prettier formats the result.  Both are slow to load (ts-morph
 * brings the TypeScript compiler), so this module is imported only when the
 * cache misses.
 */
import * as prettier from 'prettier';
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type StatementStructures,
} from 'ts-morph';
import type { FileStructure, Statement } from './structures.js';

/** Fixed, so that a user's prettier configuration cannot change the output. */
export const PRETTIER_OPTIONS: prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
};

function withKind(s: Statement): StatementStructures {
  switch (s.tag) {
    case 'import':
      return { ...s.structure, kind: StructureKind.ImportDeclaration };
    case 'export':
      return {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: s.moduleSpecifier,
        isTypeOnly: s.typeOnly,
        ...(s.names ? { namedExports: [...s.names] } : {}),
      };
    case 'interface':
      return { ...s.structure, kind: StructureKind.Interface };
    case 'type':
      return { ...s.structure, kind: StructureKind.TypeAlias };
    case 'variable':
      return { ...s.structure, kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const };
    case 'class':
      return { ...s.structure, kind: StructureKind.Class };
  }
}

/** Prints and formats one file's statements (without the header).  Each
 *  statement is printed on its own so that declarations are separated by a
 *  blank line (prettier keeps blank lines but never adds them). */
export async function printFile(file: FileStructure): Promise<string> {
  const imports: string[] = [];
  const rest: string[] = [];
  for (const s of file.statements) {
    const structure = withKind(s);
    const text = printStructure(structure, { indentNumberOfSpaces: 2 });
    (s.tag === 'import' ? imports : rest).push(text.trim());
  }
  const text = [imports.join('\n'), ...rest].filter((t) => t !== '').join('\n\n');
  return prettier.format(`${text}\n`, PRETTIER_OPTIONS);
}
