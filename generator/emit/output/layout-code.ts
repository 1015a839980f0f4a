/**
 * Generated files as layout documents, statement by statement, in the
 * shape prettier gives them (imports, declarations, assignments with the
 * layout prettier would choose, classes, functions, calls), for each
 * target: TypeScript, plain JavaScript (types erased, no doc comments), or
 * the declarations of that JavaScript (`declare`, no bodies).
 *
 * The emitters only build the shapes handled here; anything else (a call
 * passing an object, say) is refused, as the layout would not be
 * prettier's.
 */
import type { Argument, BodyStatement, DocNode, Expr, FileSyntax, MethodDeclaration, Parameter, Statement } from '../syntax/statements.js';
import type { PropertySignature, TypeNode, TypeParameter } from '../syntax/type-syntax.js';
import { canBreak, group, groupId, hardline, ifBreak, indent, indentIfBreak, join, line, softline, type Doc } from './doc.js';
import { docComment } from './jsdoc.js';
import { huggedParameterType, huggedUnion, propertySignatureDoc, typeArgumentsDoc, typeDoc, typeParametersDoc } from './layout-types.js';
import { propertyKey, quoteString } from './literals.js';

/** What is printed: TypeScript, JavaScript, or JavaScript's declarations. */
export type Target = 'ts' | 'js' | 'dts';

/** How an assignment (`=` or an object's `:`) may break, as prettier
 *  chooses it. */
type AssignmentLayout = 'break-after-operator' | 'never-break-after-operator' | 'fluid' | 'break-lhs';

function assignmentDoc(left: Doc, operator: string, right: Doc, layout: AssignmentLayout): Doc {
  switch (layout) {
    case 'break-after-operator':
      return group([group(left), operator, group(indent([line, right]))]);
    case 'never-break-after-operator':
      return group([group(left), operator, ' ', right]);
    case 'break-lhs':
      return group([left, operator, ' ', group(right)]);
    case 'fluid': {
      const id = groupId();
      return group([group(left), operator, group(indent(line), { id }), indentIfBreak(right, id)]);
    }
  }
}

/** A name or a chain of member accesses, or a call of one without
 *  arguments: what prettier would rather put on a line of its own. */
function isPoorlyBreakable(e: Expr, deep: boolean): boolean {
  switch (e.kind) {
    case 'identifier':
      return deep;
    case 'property':
      return isPoorlyBreakable(e.object, true);
    case 'call':
      return e.args.length === 0 && e.callee !== 'super';
    default:
      return false;
  }
}

function isStringLiteral(e: Expr): boolean {
  return e.kind === 'literal' && typeof e.value === 'string';
}

function valueLayout(value: Expr, canBreakLeft: boolean, shortKey: boolean): AssignmentLayout {
  if (!shortKey && (isStringLiteral(value) || isPoorlyBreakable(value, false))) return 'break-after-operator';
  if (!canBreakLeft && (shortKey || (value.kind === 'literal' && typeof value.value === 'boolean'))) return 'never-break-after-operator';
  return 'fluid';
}

function argumentsDoc(args: readonly Argument[], target: Target): Doc {
  if (args.length === 0) return '()';
  return group(['(', indent([softline, join([',', line], args.map((a) => exprDoc(a, target)))]), ifBreak(','), softline, ')']);
}

function exprDoc(e: Expr, target: Target): Doc {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? quoteString(e.value) : String(e.value);
    case 'identifier':
      return e.name;
    case 'property': {
      if (e.object.kind !== 'identifier') throw new Error(`qapi-ts printer: member access on a ${e.object.kind}`);
      // `this.x` may break before the dot; `name.x` stays whole.
      const lookup = ['.', e.name];
      return [e.object.name, e.object.name === 'this' ? group(indent([softline, lookup])) : lookup];
    }
    case 'array':
      return arrayDoc(e.elements, target);
    case 'object': {
      if (e.properties.length === 0) return group('{}');
      const props = e.properties.map((p) => {
        const key = propertyKey(p.key);
        return assignmentDoc(key, ':', exprDoc(p.value, target), valueLayout(p.value, false, key.length < 5));
      });
      return group(['{', indent([line, join([',', line], props)]), ifBreak(','), line, '}']);
    }
    case 'call':
      return [e.callee, target === 'ts' && e.typeArgs ? typeArgumentsDoc(e.typeArgs) : '', argumentsDoc(e.args, target)];
    case 'new':
      return [e.pure ? '/*@__PURE__*/ ' : '', 'new ', e.callee, target === 'ts' ? typeArgumentsDoc(e.typeArgs) : '', argumentsDoc(e.args, target)];
    case 'as':
      return target === 'ts' ? [exprDoc(e.expr, target), ' as ', typeDoc(e.type, 'annotation')] : exprDoc(e.expr, target);
    case 'thunk':
      return group(['() =>', group(indent([line, e.name]))]);
  }
}

function isCollection(e: Expr): e is Expr & { kind: 'array' | 'object' } {
  return e.kind === 'array' || e.kind === 'object';
}

function arrayDoc(elements: readonly Expr[], target: Target): Doc {
  if (elements.length === 0) return group('[]');
  // Arrays of several arrays (or objects) of several items: one per line.
  const shouldBreak =
    elements.length > 1 &&
    elements.every(
      (el, i) =>
        isCollection(el) &&
        (i === elements.length - 1 || (elements[i + 1] as Expr).kind === el.kind) &&
        (el.kind === 'array' ? el.elements.length : el.properties.length) > 1,
    );
  const items = join([',', line], elements.map((el) => group(exprDoc(el, target))));
  return group(['[', indent([softline, items, ifBreak(',')]), softline, ']'], { shouldBreak });
}

function parametersDoc(all: readonly Parameter[], target: Target): Doc {
  // JavaScript has no `this` parameter: it only types the receiver.
  const params = target === 'js' ? all.filter((p) => p.name !== 'this') : all;
  if (params.length === 0) return '()';
  // The only parameter, of an object type: the parentheses hug it.
  const only = params.length === 1 && target !== 'js' ? (params[0] as Parameter) : null;
  const hugged = only ? huggedParameterType(only.type) : null;
  if (only && hugged !== null) return ['(', only.name, only.optional ? '?' : '', ': ', hugged, ')'];
  const printed = params.map((p) => [p.name, target !== 'js' && p.optional ? '?' : '', target !== 'js' ? [': ', typeDoc(p.type, 'annotation')] : '']);
  return ['(', indent([softline, join([',', line], printed)]), ifBreak(','), softline, ')'];
}

/** `(params): Type`, grouped as prettier groups a function's signature. */
function signatureDoc(params: readonly Parameter[], returnType: TypeNode | null, target: Target): Doc {
  const returns = target !== 'js' && returnType ? [': ', typeDoc(returnType, 'annotation')] : '';
  const objectReturn = returnType !== null && (returnType.kind === 'object' || returnType.kind === 'mapped');
  const paramsDoc = parametersDoc(params, target);
  return group([params.length === 1 && objectReturn && target !== 'js' ? group(paramsDoc) : paramsDoc, returns]);
}

function bodyDoc(body: readonly BodyStatement[], target: Target): Doc {
  if (body.length === 0) return '{}';
  const statements = body.map((s) => (s.kind === 'return' ? ['return ', exprDoc(s.value, target), ';'] : [exprDoc(s.value, target), ';']));
  return ['{', indent([hardline, join(hardline, statements)]), hardline, '}'];
}

/** A function, method or constructor: its signature, then its body (or
 *  `;` in declarations). */
function callableDoc(params: readonly Parameter[], returnType: TypeNode | null, body: readonly BodyStatement[], target: Target): Doc {
  return [signatureDoc(params, returnType, target), target === 'dts' ? ';' : [' ', bodyDoc(body, target)]];
}

function withDocs(docs: readonly DocNode[], doc: Doc, target: Target): Doc {
  const comment = target === 'js' ? '' : docComment(docs);
  return comment === '' ? doc : [comment, hardline, doc];
}

function specifiersDoc(names: readonly string[]): Doc {
  if (names.length === 1) return ['{ ', names[0] as string, ' }'];
  return group(['{', indent([line, join([',', line], [...names])]), ifBreak(','), line, '}']);
}

/** `import { a, b } from 'm';`, or `import type ...`. */
export function importDoc(names: readonly string[], from: string, typeOnly: boolean): Doc {
  return ['import ', typeOnly ? 'type ' : '', specifiersDoc(names), ' from ', quoteString(from), ';'];
}

/** A reference to a named type with arguments (a base or heritage). */
function referenceDoc(name: string, args: readonly TypeNode[]): Doc {
  return [name, typeArgumentsDoc(args)];
}

/**
 * The members of a statement (an interface's properties, a class's
 * methods) printed before, for a statement made again of members kept
 * from before (emit/kept.ts keeps client.ts's per command): each member
 * as text, printed where it stands (two columns in, after a hard line),
 * which is how it prints among the others.
 */
export interface PrintedMembers {
  member(member: object, target: Target, doc: () => Doc): Doc;
}

function interfaceDoc(s: Statement & { kind: 'interface' }, printed?: PrintedMembers): Doc {
  let head: Doc;
  const params = typeParametersDoc(s.typeParameters ?? []);
  if (s.extends.length <= 1) {
    const base = s.extends[0];
    head = [' ', s.name, params, base ? [' extends ', typeDoc(base, 'bare')] : ''];
  } else {
    head = group([' ', s.name, params, indent([line, 'extends', group(indent([line, join([',', line], s.extends.map((t) => typeDoc(t, 'bare')))]))])]);
  }
  const member = (p: PropertySignature): Doc => [propertySignatureDoc(p, docComment(p.docs ?? [])), ';'];
  const members = s.properties.map((p) => (printed === undefined ? member(p) : printed.member(p, 'ts', () => member(p))));
  const body = members.length === 0 ? '{}' : ['{', indent([hardline, join(hardline, members)]), hardline, '}'];
  return ['export interface', head, ' ', body];
}

function typeAliasDoc(s: Statement & { kind: 'type' }): Doc {
  const left = ['type ', s.name, typeParametersDoc(s.typeParameters)];
  const union = s.type.kind === 'union' && !huggedUnion(s.type);
  const complexParams = s.typeParameters.length > 1 && s.typeParameters.some((p) => p.constraint !== undefined);
  const layout: AssignmentLayout = union ? 'break-after-operator' : complexParams ? 'break-lhs' : 'fluid';
  return ['export ', assignmentDoc(left, ' =', typeDoc(s.type, union ? 'bare' : 'annotation'), layout), ';'];
}

/** A type annotation of more than one argument, one of them generic. */
function isComplexAnnotation(t: TypeNode): boolean {
  return t.kind === 'reference' && t.args.length > 1 && t.args.some((a) => a.kind === 'reference' && a.args.length > 0);
}

function constDoc(s: Statement & { kind: 'const' }, target: Target): Doc {
  // prettier lays out a function's declaration apart; generated code has none.
  if (s.value.kind === 'thunk') throw new Error(`qapi-ts printer: const ${s.name} holds a function`);
  if (target === 'dts') return ['export ', group(['declare const ', s.name, ': ', typeDoc(s.type, 'annotation'), ';'])];
  const left: Doc = target === 'ts' ? [s.name, ': ', typeDoc(s.type, 'annotation')] : s.name;
  const layout: AssignmentLayout = target === 'ts' && isComplexAnnotation(s.type) ? 'break-lhs' : valueLayout(s.value, canBreak(left), false);
  return ['export ', group(['const ', assignmentDoc(left, ' =', exprDoc(s.value, target), layout), ';'])];
}

/** Type parameters where the target has types. */
function typeParametersFor(params: readonly TypeParameter[] | undefined, target: Target): Doc {
  return target === 'js' ? '' : typeParametersDoc(params ?? []);
}

function methodDoc(m: MethodDeclaration, target: Target): Doc {
  return withDocs(m.docs, [m.name, typeParametersFor(m.typeParameters, target), callableDoc(m.parameters, m.returnType, m.body, target)], target);
}

function classDoc(s: Statement & { kind: 'class' }, target: Target, printed?: PrintedMembers): Doc {
  const base = target === 'js' ? s.extends.name : referenceDoc(s.extends.name, s.extends.args);
  const method = (m: MethodDeclaration): Doc => (printed === undefined ? methodDoc(m, target) : printed.member(m, target, () => methodDoc(m, target)));
  const members = [['constructor', callableDoc(s.ctor.parameters, null, s.ctor.body, target)], ...s.methods.map(method)];
  const body = ['{', indent([hardline, join([hardline, hardline], members)]), hardline, '}'];
  return ['export ', target === 'dts' ? 'declare ' : '', 'class ', s.name, typeParametersFor(s.typeParameters, target), ' extends ', base, ' ', body];
}

function functionDoc(s: Statement & { kind: 'function' }, target: Target): Doc {
  return [
    'export ',
    target === 'dts' ? 'declare ' : '',
    'function ',
    s.name,
    typeParametersFor(s.typeParameters, target),
    callableDoc(s.parameters, s.returnType, s.body, target),
  ];
}

/** A statement as printed for `target`, or null when the target has none;
 *  `printed`: its members printed before. */
export function statementDoc(s: Statement, target: Target, printed?: PrintedMembers): Doc | null {
  switch (s.kind) {
    case 'export-from':
      if (target === 'js' && s.typeOnly) return null;
      return s.names
        ? ['export ', s.typeOnly ? 'type ' : '', specifiersDoc(s.names), ' from ', quoteString(s.from), ';']
        : ['export * from ', quoteString(s.from), ';'];
    case 'interface':
      return target === 'js' ? null : withDocs(s.docs, interfaceDoc(s, printed), target);
    case 'type':
      return target === 'js' ? null : withDocs(s.docs, typeAliasDoc(s), target);
    case 'const':
      return withDocs(s.docs, constDoc(s, target), target);
    case 'function':
      return withDocs(s.docs, functionDoc(s, target), target);
    case 'class':
      return withDocs(s.docs, classDoc(s, target, printed), target);
  }
}

/** The statements of a file laid out: what the file is about first, then
 *  the imports together, every other statement after a blank line. */
export function fileDoc(imports: readonly Doc[], file: FileSyntax, target: Target): Doc {
  const statements = file.statements.map((s) => statementDoc(s, target)).filter((d): d is Doc => d !== null);
  const overview = file.overview && target !== 'js' ? [docComment([file.overview])] : [];
  const blocks = [...overview, ...(imports.length > 0 ? [join(hardline, imports)] : []), ...statements];
  return blocks.length === 0 ? '' : [join([hardline, hardline], blocks), hardline];
}
