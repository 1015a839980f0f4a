/**
 * No import circles: within generator/, runtime/ and fuzz/, no module
 * reaches itself through its imports, type-only imports, re-exports and
 * literal dynamic imports counted alike.  A circle of types costs nothing
 * at run time, but it leaves two modules that can only be read, moved or
 * split together; a type both need belongs in a module below both.
 * Imports are read with TypeScript's own pre-processor (so an import
 * written inside a template string, as the emitters print them, is no
 * import), and resolved to the sources (`./x.js` is `./x.ts`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { forEachComponent } from '../../generator/common/graph.js';

/** The folders whose modules may form no circle. */
const FOLDERS = ['generator', 'runtime', 'fuzz'] as const;

type Graph = ReadonlyMap<string, readonly string[]>;

/** The source file a relative specifier names, if it is one of this tree's. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The modules a source imports, as written: static imports, type-only
 *  or not, re-exports and literal dynamic imports. */
function specifiersIn(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((i) => i.fileName);
}

/** Every module of the folders, with the modules of the tree it imports. */
function importGraph(): Graph {
  const files = FOLDERS.flatMap((folder) =>
    readdirSync(join(PROJECT_ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.split(/[\\/]/).includes('dist'))
      .map((f) => join(PROJECT_ROOT, folder, f)),
  );
  return new Map(
    files.map((file) => {
      const targets = specifiersIn(readFileSync(file, 'utf8'))
        .map((s) => resolveSpecifier(file, s)).filter((t): t is string => t !== undefined && t !== file);
      return [file, [...new Set(targets)]];
    }),
  );
}

/**
 * The circles of a graph: its strongly connected components of more than
 * one module, and modules that import themselves.
 * Each circle's modules sorted, circles by their first.
 */
function circlesOf(graph: Graph): string[][] {
  const circles: string[][] = [];
  forEachComponent(graph.keys(), (node) => graph.get(node) ?? [], (component) => {
    if (component.length > 1 || (graph.get(component[0]!) ?? []).includes(component[0]!)) circles.push(component.sort());
  });
  return circles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('specifiersIn', () => {
  it.each<{ name: string; given: string; want: string[] }>([
    { name: 'a type-only import', given: "import type { A } from './a.js';", want: ['./a.js'] },
    { name: 'a value import over lines', given: "import {\n  b,\n  type B,\n} from '../b.js';", want: ['../b.js'] },
    { name: 'a re-export', given: "export { c, type C } from './c.js';", want: ['./c.js'] },
    { name: 'a type re-export', given: "export type { D } from './d.js';", want: ['./d.js'] },
    { name: 'a dynamic import', given: "const { e } = await import('./e.js');", want: ['./e.js'] },
    { name: 'an import printed in a template string', given: 'const text = `import { f } from "./f.js";`;', want: [] },
    { name: 'an import in a comment', given: "// import { g } from './g.js';", want: [] },
  ])('$name', ({ given, want }) => {
    expect(specifiersIn(given)).toEqual(want);
  });
});

describe('circlesOf', () => {
  it.each<{ name: string; given: Record<string, string[]>; want: string[][] }>([
    { name: 'a chain', given: { a: ['b'], b: ['c'], c: [] }, want: [] },
    { name: 'a diamond', given: { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, want: [] },
    { name: 'two modules', given: { a: ['b'], b: ['a'] }, want: [['a', 'b']] },
    { name: 'three, entered from outside', given: { x: ['a'], a: ['b'], b: ['c'], c: ['a'] }, want: [['a', 'b', 'c']] },
    { name: 'a module importing itself', given: { a: ['a'] }, want: [['a']] },
    { name: 'two apart', given: { a: ['b'], b: ['a', 'c'], c: ['d'], d: ['c'] }, want: [['a', 'b'], ['c', 'd']] },
  ])('$name', ({ given, want }) => {
    expect(circlesOf(new Map(Object.entries(given)))).toEqual(want);
  });
});

describe.each(FOLDERS)('%s/', (folder) => {
  it('has no import circle (type-only imports included)', () => {
    const graph = importGraph();
    const root = join(PROJECT_ROOT, folder);
    const mine = [...graph.keys()].filter((f) => !relative(root, f).startsWith('..'));
    expect(mine.length).toBeGreaterThan(0);
    const circles = circlesOf(graph).filter((c) => c.some((f) => mine.includes(f)));
    expect(circles.map((c) => c.map((f) => relative(PROJECT_ROOT, f)))).toEqual([]);
  });
});
