/**
 * The kinds of syntax a set of generated files holds: each node's kind
 * below its parent's kind (`TypeAliasDeclaration > UnionType`).  Where a
 * test judges a few outputs fully (prettier, TypeScript's emit, TypeScript
 * 5) and larger ones only by their kinds, an output holding no kind the
 * judged ones lack has nothing the judges have not seen
 * (docs/development.md, "What the suite trades").
 */
import { ts } from 'ts-morph';

/** A file of generated code: its name (which says how it parses) and its text. */
export interface CodeFile {
  readonly path: string;
  readonly content: string;
}

/** The kinds of syntax of files: each node's kind below its parent's. */
export function syntaxKinds(files: readonly CodeFile[]): Set<string> {
  const kinds = new Set<string>();
  const visit = (node: ts.Node, parent: string): void => {
    const kind = ts.SyntaxKind[node.kind]!;
    kinds.add(`${parent} > ${kind}`);
    ts.forEachChild(node, (child) => visit(child, kind));
  };
  for (const f of files) visit(ts.createSourceFile(f.path, f.content, ts.ScriptTarget.ES2022, false), '');
  return kinds;
}
