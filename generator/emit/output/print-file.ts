/**
 * Prints a file's statements for a target, with the imports that target
 * needs: a name is imported where the printed code uses it, as a value
 * where it is used as one (a class's base counts, in declarations too),
 * else as a type; JavaScript imports values only.  Packages come first,
 * then sibling files, each sorted, so the text is stable.
 */
import type { Argument, Expr, FileSyntax, Parameter, Statement } from '../syntax/statements.js';
import type { TypeNode, TypeParameter } from '../syntax/type-syntax.js';
import { hardline, join, printDoc, type Doc } from './doc.js';
import { docComment } from './jsdoc.js';
import { fileDoc, importDoc, statementDoc, type PrintedMembers, type Target } from './layout-code.js';

/** The width prettier is asked to keep lines within (see PRETTIER_OPTIONS). */
export const PRINT_WIDTH = 120;

/** The options under which generated code is a fixed point of prettier:
 *  what a test formats it with, and what the printer lays it out for. */
export const PRETTIER_OPTIONS = {
  parser: 'typescript',
  printWidth: PRINT_WIDTH,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
} as const;

/** The names a type refers to. */
function typeNames(t: TypeNode, into: Set<string>): void {
  switch (t.kind) {
    case 'reference':
      into.add(t.name);
      for (const a of t.args) typeNames(a, into);
      return;
    case 'array':
      return typeNames(t.element, into);
    case 'union':
    case 'intersection':
      for (const m of t.members) typeNames(m, into);
      return;
    case 'object':
      for (const m of t.members) typeNames(m.type, into);
      return;
    case 'indexed':
      typeNames(t.object, into);
      return typeNames(t.index, into);
    case 'keyof':
      return typeNames(t.operand, into);
    case 'mapped':
      typeNames(t.constraint, into);
      return typeNames(t.type, into);
    case 'predicate':
      return typeNames(t.type, into);
    case 'keyword':
    case 'literal':
      return;
  }
}

/** What the code of a file refers to, as values and as types. */
class Uses {
  readonly values = new Set<string>();
  readonly types = new Set<string>();

  constructor(private readonly target: Target) {}

  type(t: TypeNode): void {
    if (this.target !== 'js') typeNames(t, this.types);
  }

  /** An expression; in declarations, bodies are not printed. */
  expr(e: Expr): void {
    switch (e.kind) {
      case 'identifier':
        this.values.add(e.name);
        return;
      case 'thunk':
        this.values.add(e.name);
        return;
      case 'literal':
        return;
      case 'property':
        return this.expr(e.object);
      case 'array':
        for (const el of e.elements) this.expr(el);
        return;
      case 'object':
        for (const p of e.properties) this.expr(p.value);
        return;
      case 'call':
        this.values.add(e.callee);
        if (this.target === 'ts') for (const a of e.typeArgs ?? []) this.type(a);
        for (const a of e.args) this.expr(a);
        return;
      case 'new':
        this.values.add(e.callee);
        if (this.target === 'ts') for (const a of e.typeArgs) this.type(a);
        for (const a of e.args as readonly Argument[]) this.expr(a);
        return;
      case 'as':
        this.expr(e.expr);
        if (this.target === 'ts') this.type(e.type);
        return;
    }
  }

  typeParameters(params: readonly TypeParameter[] | undefined): void {
    for (const p of params ?? []) {
      if (p.constraint) this.type(p.constraint);
      if (p.default) this.type(p.default);
    }
  }

  callable(params: readonly Parameter[], returnType: TypeNode | null, body: readonly { readonly value: Expr }[], typeParameters?: readonly TypeParameter[]): void {
    this.typeParameters(typeParameters);
    for (const p of params) this.type(p.type);
    if (returnType) this.type(returnType);
    if (this.target !== 'dts') for (const s of body) this.expr(s.value);
  }

  statement(s: Statement): void {
    switch (s.kind) {
      case 'export-from':
        return;
      case 'interface':
        this.typeParameters(s.typeParameters);
        for (const t of s.extends) this.type(t);
        for (const p of s.properties) this.type(p.type);
        return;
      case 'type':
        this.typeParameters(s.typeParameters);
        return this.type(s.type);
      case 'const':
        this.type(s.type);
        if (this.target !== 'dts') this.expr(s.value);
        return;
      case 'function':
        return this.callable(s.parameters, s.returnType, s.body, s.typeParameters);
      case 'class':
        this.values.add(s.extends.name);
        this.typeParameters(s.typeParameters);
        for (const a of s.extends.args) this.type(a);
        this.callable(s.ctor.parameters, null, s.ctor.body);
        for (const m of s.methods) this.callable(m.parameters, m.returnType, m.body, m.typeParameters);
        return;
    }
  }
}

const moduleOrder = (from: string): string => `${from.startsWith('./') ? 1 : 0}${from}`;

/** The import statements a target's text needs, for code that uses
 *  `uses`. */
function importsOf(file: FileSyntax, uses: { readonly values: ReadonlySet<string>; readonly types: ReadonlySet<string> }) {
  const byModule = new Map<string, { values: string[]; types: string[] }>();
  for (const { name, from } of file.imports) {
    const value = uses.values.has(name);
    if (!value && !uses.types.has(name)) continue;
    let entry = byModule.get(from);
    if (!entry) byModule.set(from, (entry = { values: [], types: [] }));
    (value ? entry.values : entry.types).push(name);
  }
  const docs = [];
  for (const from of [...byModule.keys()].sort((a, b) => (moduleOrder(a) < moduleOrder(b) ? -1 : 1))) {
    const { values, types } = byModule.get(from) as { values: string[]; types: string[] };
    if (values.length > 0) docs.push(importDoc([...new Set(values)].sort(), from, false));
    if (types.length > 0) docs.push(importDoc([...new Set(types)].sort(), from, true));
  }
  return docs;
}

/** One statement as printed for a target (null where the target has
 *  none of it), and the names its code uses. */
interface PrintedStatement {
  readonly text: string | null;
  readonly values: readonly string[];
  readonly types: readonly string[];
}

/**
 * What printing each statement gave, for a caller that prints the same
 * statements again (emit/kept.ts keeps the statements of what did not
 * change): by statement object, for each target.  A file's text is its
 * blocks (overview, imports, statements) each printed alone and joined by
 * blank lines, which is what printing them together gives: every block
 * starts a line at the file's top level, and a printed line ends (and is
 * trimmed) at the hard line after it.
 */
export class PrintedStatements {
  private readonly kept = new WeakMap<Statement, Partial<Record<Target, PrintedStatement>>>();
  /** Members of statements (PrintedMembers), as text, by member object. */
  private readonly members = new WeakMap<object, Partial<Record<Target, string>>>();

  of(s: Statement, target: Target, width: number): PrintedStatement {
    let byTarget = this.kept.get(s);
    if (byTarget === undefined) this.kept.set(s, (byTarget = {}));
    let printed = byTarget[target];
    if (printed === undefined) {
      const uses = new Uses(target);
      uses.statement(s);
      const doc = statementDoc(s, target, this.printedMembers(width));
      printed = { text: doc === null ? null : printBlock(doc, width), values: [...uses.values], types: [...uses.types] };
      byTarget[target] = printed;
    }
    return printed;
  }

  /** Members printed two columns in, as a statement's members stand. */
  private printedMembers(width: number): PrintedMembers {
    return {
      member: (member, target, doc) => {
        let byTarget = this.members.get(member);
        if (byTarget === undefined) this.members.set(member, (byTarget = {}));
        return (byTarget[target] ??= printBlock(doc(), width, MEMBER_INDENT));
      },
    };
  }
}

/** Where a statement's members stand. */
const MEMBER_INDENT = 2;

/** A block printed alone: as it is printed among others, up to the line
 *  end after it. */
function printBlock(doc: Doc, width: number, at = 0): string {
  return printDoc([doc, hardline], width, at).slice(0, -1 - at);
}

/** The file's text for `target` (without the header); `width` other than
 *  the fixed one is for tests. */
export function printFile(file: FileSyntax, target: Target, width: number = PRINT_WIDTH, printed?: PrintedStatements): string {
  if (printed !== undefined) return printFileFrom(file, target, width, printed);
  const uses = new Uses(target);
  for (const s of file.statements) uses.statement(s);
  return printDoc(fileDoc(importsOf(file, uses), file, target), width);
}

/** printFile, from each statement as `printed` has it. */
function printFileFrom(file: FileSyntax, target: Target, width: number, printed: PrintedStatements): string {
  const statements = file.statements.map((s) => printed.of(s, target, width));
  const uses = { values: new Set(statements.flatMap((p) => p.values)), types: new Set(statements.flatMap((p) => p.types)) };
  const imports = importsOf(file, uses);
  const blocks: string[] = [];
  if (file.overview && target !== 'js') blocks.push(printBlock(docComment([file.overview]), width));
  if (imports.length > 0) blocks.push(printBlock(join(hardline, imports), width));
  for (const p of statements) if (p.text !== null) blocks.push(p.text);
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}
