/**
 * A second emitter for the same statements, built the conventional way:
 * ts-morph structures (ts-morph's own writers for object, union and
 * intersection types and for doc comments), printed by ts-morph, then
 * formatted by prettier.  The generator does not run this: loading the
 * TypeScript compiler and prettier would cost more than a whole cold
 * `generate` (bench/emitters.mjs measures it).  Tests hold the generator's
 * own printer to it instead (test/emit/ts-morph-reference.test.ts), so the
 * fast path prints exactly what the conventional one would.
 *
 * Deliberately independent of generator/emit/output/: its own precedence
 * rules, its own import analysis (on the syntax tree ts-morph parses), its
 * own quoting.  Only the statements (FileSyntax) are shared.
 */
import * as prettier from 'prettier';
import {
  Node,
  Project,
  StructureKind,
  SyntaxKind,
  VariableDeclarationKind,
  Writers,
  type CodeBlockWriter,
  type JSDocStructure,
  type OptionalKind,
  type ParameterDeclarationStructure,
  type PropertySignatureStructure,
  type SourceFile,
  type StatementStructures,
  type WriterFunction,
} from 'ts-morph';
import { PRETTIER_OPTIONS } from '../../generator/emit/output/print-file.js';
import type { Argument, BodyStatement, DocNode, Expr, FileSyntax, Parameter, Statement } from '../../generator/emit/syntax/statements.js';
import type { PropertySignature, TypeNode } from '../../generator/emit/syntax/type-syntax.js';

/** A string literal: JSON's escapes, and every character outside
 *  printable ASCII escaped (prettier keeps escapes; it picks the quotes). */
function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const keyText = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : stringLiteral(name));

// ---------------------------------------------------------------- types

/** Binding strength of a type's outermost operator (higher binds tighter). */
function strength(t: TypeNode): number {
  switch (t.kind) {
    case 'union':
      return 1;
    case 'intersection':
      return 2;
    case 'keyof':
      return 3;
    case 'array':
      return t.readonly ? 3 : 4;
    default:
      return 5;
  }
}

/** `t`, bracketed when it binds looser than `min`. */
function operand(t: TypeNode, min: number): WriterFunction {
  const w = typeWriter(t);
  return strength(t) < min ? (writer) => (writer.write('('), w(writer), writer.write(')')) : w;
}

/** What a writer function writes, as text. */
function writeText(w: WriterFunction): string {
  const writer = scratch().createWriter();
  w(writer);
  return writer.toString();
}

let scratchProject: Project | undefined;
function scratch(): Project {
  return (scratchProject ??= new Project({ useInMemoryFileSystem: true }));
}

function docsOf(docs: readonly DocNode[] | undefined): OptionalKind<JSDocStructure>[] {
  return (docs ?? []).map((d) => ({ description: d.description, tags: (d.tags ?? []).map((t) => ({ tagName: t.tagName, text: t.text })) }));
}

function propertyStructure(p: PropertySignature): OptionalKind<PropertySignatureStructure> {
  return { name: keyText(p.name), type: typeWriter(p.type), hasQuestionToken: p.optional, docs: docsOf(p.docs) };
}

function typeWriter(t: TypeNode): WriterFunction {
  switch (t.kind) {
    case 'keyword':
      return (w) => w.write(t.name);
    case 'literal':
      return (w) => w.write(typeof t.value === 'string' ? stringLiteral(t.value) : String(t.value));
    case 'reference':
      return (w) => {
        w.write(t.name);
        typeArguments(w, t.args);
      };
    case 'array':
      return (w) => {
        if (t.readonly) w.write('readonly ');
        operand(t.element, 4)(w);
        w.write('[]');
      };
    case 'union': {
      const [a, b, ...rest] = t.members.map((m) => operand(m, 2));
      return Writers.unionType(a!, b!, ...rest);
    }
    case 'intersection': {
      const [a, b, ...rest] = t.members.map((m) => operand(m, 3));
      return Writers.intersectionType(a!, b!, ...rest);
    }
    case 'object':
      // Written on one line unless a member has docs, so that prettier
      // decides where it breaks (it keeps an object it is given broken).
      if (t.members.some((m) => (m.docs ?? []).length > 0)) return Writers.objectType({ properties: t.members.map(propertyStructure) });
      return (w) => {
        const members = t.members.map((m) => `${keyText(m.name)}${m.optional ? '?' : ''}: ${typeText(m.type)}`);
        w.write(members.length === 0 ? '{}' : `{ ${members.join('; ')} }`);
      };
    case 'indexed':
      return (w) => {
        operand(t.object, 4)(w);
        w.write('[');
        typeWriter(t.index)(w);
        w.write(']');
      };
    case 'keyof':
      return (w) => {
        w.write('keyof ');
        operand(t.operand, 3)(w);
      };
    case 'mapped':
      return (w) => w.write(`{ [${t.parameter} in ${writeText(typeWriter(t.constraint))}]: ${writeText(typeWriter(t.type))} }`);
    case 'predicate':
      return (w) => w.write(`${t.parameter} is ${writeText(typeWriter(t.type))}`);
  }
}

function typeArguments(w: CodeBlockWriter, args: readonly TypeNode[]): void {
  if (args.length > 0) w.write(`<${args.map((a) => writeText(typeWriter(a))).join(', ')}>`);
}

const typeText = (t: TypeNode): string => writeText(typeWriter(t));

// ---------------------------------------------------------------- values

function exprText(e: Expr | Argument): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? stringLiteral(e.value) : String(e.value);
    case 'identifier':
      return e.name;
    case 'property':
      return `${exprText(e.object)}.${e.name}`;
    case 'array':
      return `[${e.elements.map(exprText).join(', ')}]`;
    case 'object':
      return `{ ${e.properties.map((p) => `${keyText(p.key)}: ${exprText(p.value)}`).join(', ')} }`;
    case 'call':
      return `${e.callee}(${e.args.map(exprText).join(', ')})`;
    case 'new': {
      const typeArgs = e.typeArgs.length > 0 ? `<${e.typeArgs.map(typeText).join(', ')}>` : '';
      return `${e.pure ? '/*@__PURE__*/ ' : ''}new ${e.callee}${typeArgs}(${e.args.map(exprText).join(', ')})`;
    }
    case 'as':
      return `${exprText(e.expr)} as ${typeText(e.type)}`;
    case 'thunk':
      return `() => ${e.name}`;
  }
}

const bodyText = (body: readonly BodyStatement[]): string[] =>
  body.map((s) => (s.kind === 'return' ? `return ${exprText(s.value)};` : `${exprText(s.value)};`));

const parametersOf = (params: readonly Parameter[]): OptionalKind<ParameterDeclarationStructure>[] =>
  params.map((p) => ({ name: p.name, type: typeText(p.type), hasQuestionToken: p.optional }));

// ---------------------------------------------------------------- statements

function statementStructure(s: Statement): StatementStructures {
  switch (s.kind) {
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
        isExported: true,
        name: s.name,
        docs: docsOf(s.docs),
        extends: s.extends.map(typeText),
        properties: s.properties.map(propertyStructure),
      };
    case 'type':
      return {
        kind: StructureKind.TypeAlias,
        isExported: true,
        name: s.name,
        docs: docsOf(s.docs),
        typeParameters: s.typeParameters.map((p) => ({ name: p.name, ...(p.constraint ? { constraint: typeText(p.constraint) } : {}) })),
        type: typeText(s.type),
      };
    case 'const':
      return {
        kind: StructureKind.VariableStatement,
        isExported: true,
        docs: docsOf(s.docs),
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: s.name, type: typeText(s.type), initializer: exprText(s.value) }],
      };
    case 'function':
      return {
        kind: StructureKind.Function,
        isExported: true,
        name: s.name,
        docs: docsOf(s.docs),
        parameters: parametersOf(s.parameters),
        returnType: typeText(s.returnType),
        statements: bodyText(s.body),
      };
    case 'class':
      return {
        kind: StructureKind.Class,
        isExported: true,
        name: s.name,
        docs: docsOf(s.docs),
        extends: `${s.extends.name}${s.extends.args.length > 0 ? `<${s.extends.args.map(typeText).join(', ')}>` : ''}`,
        ctors: [{ parameters: parametersOf(s.ctor.parameters), statements: bodyText(s.ctor.body) }],
        methods: s.methods.map((m) => ({
          name: m.name,
          docs: docsOf(m.docs),
          parameters: parametersOf(m.parameters),
          returnType: typeText(m.returnType),
          statements: bodyText(m.body),
        })),
      };
  }
}

// ---------------------------------------------------------------- imports

/** Whether an identifier is a name being declared or a member's name,
 *  rather than a use of something in scope. */
function isDeclarationOrMember(id: Node): boolean {
  const parent = id.getParent();
  if (parent === undefined) return true;
  if (Node.isPropertyAccessExpression(parent)) return parent.getNameNode() === id;
  if (Node.isQualifiedName(parent)) return parent.getRight() === id;
  if (Node.isPropertyAssignment(parent) || Node.isPropertySignature(parent)) return parent.getNameNode() === id;
  if (Node.isExportSpecifier(parent)) return true;
  const named = parent as Node & { getNameNode?: () => Node | undefined };
  return typeof named.getNameNode === 'function' && named.getNameNode() === id;
}

/** Names used as values and as types, read from the parsed file. */
function usesIn(source: SourceFile): { values: Set<string>; types: Set<string> } {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const id of source.getDescendantsOfKind(SyntaxKind.Identifier)) {
    // Names in doc comments ({@link X}) are not uses.
    if (isDeclarationOrMember(id) || id.getFirstAncestor((a) => Node.isJSDoc(a)) !== undefined) continue;
    const inType = id.getAncestors().some((a) => Node.isTypeNode(a) && !Node.isExpressionWithTypeArguments(a));
    const heritage = id.getFirstAncestorByKind(SyntaxKind.HeritageClause);
    const interfaceHeritage = heritage !== undefined && Node.isInterfaceDeclaration(heritage.getParent());
    (inType || interfaceHeritage ? types : values).add(id.getText());
  }
  return { values, types };
}

/** Import declarations for what the file uses: packages before sibling
 *  files, names sorted; a name used only as a type is imported as one. */
function addImports(source: SourceFile, file: FileSyntax): void {
  const { values, types } = usesIn(source);
  const byModule = new Map<string, { values: Set<string>; types: Set<string> }>();
  for (const { name, from } of file.imports) {
    const asValue = values.has(name);
    if (!asValue && !types.has(name)) continue;
    const entry = byModule.get(from) ?? { values: new Set<string>(), types: new Set<string>() };
    byModule.set(from, entry);
    (asValue ? entry.values : entry.types).add(name);
  }
  const relative = (m: string): boolean => m.startsWith('.');
  const modules = [...byModule.keys()].sort((a, b) => (relative(a) !== relative(b) ? (relative(a) ? 1 : -1) : a < b ? -1 : 1));
  const declarations = modules.flatMap((moduleSpecifier) => {
    const { values: v, types: t } = byModule.get(moduleSpecifier)!;
    return [
      ...(v.size > 0 ? [{ moduleSpecifier, namedImports: [...v].sort(), isTypeOnly: false }] : []),
      ...(t.size > 0 ? [{ moduleSpecifier, namedImports: [...t].sort(), isTypeOnly: true }] : []),
    ];
  });
  source.insertImportDeclarations(0, declarations);
}

// ---------------------------------------------------------------- file

/** The file-level doc comment (ts-morph has no structure for a comment
 *  that belongs to no declaration). */
function overviewComment(doc: DocNode): string {
  const lines = [doc.description, ...(doc.tags ?? []).map((t) => `@${t.tagName} ${t.text ?? ''}`.trimEnd())].join('\n').split('\n');
  return ['/**', ...lines.map((l) => ` *${l.trimEnd() === '' ? '' : ` ${l.trimEnd()}`}`), ' */'].join('\n');
}

/** The file as ts-morph prints its structures, before formatting. */
export function printWithTsMorph(file: FileSyntax, project: Project = new Project({ useInMemoryFileSystem: true })): string {
  // One blank line between statements: the house style (prettier keeps
  // the blank lines it is given, up to one).
  const statements = file.statements.flatMap((s, i) => (i === 0 ? [statementStructure(s)] : [(w: CodeBlockWriter) => w.blankLine(), statementStructure(s)]));
  const source = project.createSourceFile(`${file.stem}.ts`, { statements }, { overwrite: true });
  addImports(source, file);
  if (file.overview) source.insertStatements(0, (w) => w.write(overviewComment(file.overview!)).blankLine());
  return source.getFullText();
}

/** The file as ts-morph and prettier make it (the `ts` target's text,
 *  without the header). */
export async function emitWithTsMorph(file: FileSyntax, project?: Project): Promise<string> {
  const text = printWithTsMorph(file, project);
  return text.trim() === '' ? '' : prettier.format(text, PRETTIER_OPTIONS);
}
