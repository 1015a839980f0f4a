/**
 * TypeScript types as layout documents, shaped as prettier shapes them:
 * where a type may break, and how (a union one member per line behind
 * `| `, an object type one member per line, type arguments one per line),
 * and where brackets go.
 */
import type { PropertySignature, TypeNode, TypeParameter } from '../syntax/type-syntax.js';
import { align, group, groupId, hardline, ifBreak, indent, indentIfBreak, join, line, softline, type Doc } from './doc.js';
import { docComment } from './jsdoc.js';
import { propertyKey, quoteString } from './literals.js';

/**
 * Where a type stands, as far as its layout cares:
 * - `annotation`: after a `:` (members, parameters, return types) and in
 *   other positions of their own (mapped types, constraints, indexes);
 * - `bare`: where the parent already indents or brackets it (type
 *   arguments; a union right of a type alias's `=`);
 * - `member`: a member of a union or an intersection, where unions and
 *   intersections take brackets;
 * - `operand`: inside an array type, a `keyof`, or the object of an
 *   indexed access, where type operators take brackets too.
 */
export type TypeContext = 'annotation' | 'bare' | 'member' | 'operand';

/** The types whose members print inline in a union with `void`/`null`. */
function isObjectLike(t: TypeNode): boolean {
  return t.kind === 'object' || t.kind === 'reference';
}

/** `{ ... } | null`: a union kept on one line, its object breaking instead. */
export function huggedUnion(t: TypeNode): boolean {
  if (t.kind !== 'union') return false;
  const object = t.members.find(isObjectLike);
  if (object === undefined) return false;
  return t.members.every((m) => m === object || (m.kind === 'keyword' && (m.name === 'void' || m.name === 'null')));
}

/** A keyword, a literal or a name without arguments. */
function isSimple(t: TypeNode): boolean {
  return t.kind === 'keyword' || t.kind === 'literal' || (t.kind === 'reference' && t.args.length === 0);
}

/** Types printed on one line inside `<...>` when they are the only argument. */
function hugsInTypeArguments(t: TypeNode): boolean {
  return isSimple(t) || t.kind === 'object' || t.kind === 'mapped' || huggedUnion(t);
}

/** Whether a type needs brackets where it stands. */
function needsBrackets(t: TypeNode, context: TypeContext): boolean {
  if (t.kind === 'union' || t.kind === 'intersection') return context === 'member' || context === 'operand';
  return context === 'operand' && (t.kind === 'keyof' || (t.kind === 'array' && t.readonly));
}

function isObjectType(t: TypeNode): boolean {
  return t.kind === 'object' || t.kind === 'mapped';
}

/** `<A, B>` after a type name, a `new` or a class's base. */
export function typeArgumentsDoc(args: readonly TypeNode[]): Doc {
  if (args.length === 0) return '';
  const printed = args.map((a) => typeDoc(a, 'bare'));
  if (args.length === 1 && hugsInTypeArguments(args[0] as TypeNode)) return ['<', printed, '>'];
  return group(['<', indent([softline, join([',', line], printed)]), softline, '>']);
}

/** `<K extends C>` after a declared name. */
export function typeParametersDoc(params: readonly TypeParameter[]): Doc {
  if (params.length === 0) return '';
  const printed = params.map((p) => {
    const fallback = p.default ? [' = ', typeDoc(p.default, 'annotation')] : '';
    if (!p.constraint) return group([p.name, fallback]);
    const id = groupId();
    return group([p.name, ' extends', group(indent(line), { id }), indentIfBreak(typeDoc(p.constraint, 'annotation'), id), fallback]);
  });
  return group(['<', indent([softline, join([',', line], printed)]), ifBreak(','), softline, '>']);
}

function unionDoc(members: readonly TypeNode[], context: TypeContext, hugged: boolean): Doc {
  if (hugged) return join(' | ', members.map((m) => typeDoc(m, 'member')));
  const printed = group(members.map((m, i) => [i === 0 ? ifBreak('| ') : [line, '| '], align(2, typeDoc(m, 'member'))]));
  switch (context) {
    case 'member':
    case 'operand':
      return group([indent([softline, printed]), softline]);
    case 'bare':
      return printed;
    case 'annotation':
      return group(indent([softline, printed]));
  }
}

function intersectionDoc(members: readonly TypeNode[]): Doc {
  let wasIndented = false;
  return group(
    members.map((m, i) => {
      const doc = typeDoc(m, 'member');
      if (i === 0) return doc;
      const current = isObjectType(m);
      const previous = isObjectType(members[i - 1] as TypeNode);
      if (previous && current) return [' & ', wasIndented ? indent(doc) : doc];
      if (!previous && !current) return indent([' &', line, doc]);
      if (i > 1) wasIndented = true;
      return [' & ', i > 1 ? indent(doc) : doc];
    }),
  );
}

/** A property of an object type or interface, with its doc comment:
 *  `name?: type` (the separator is the caller's). */
export function propertySignatureDoc(p: { name: string; type: TypeNode; optional: boolean; docs?: readonly unknown[] }, comment: Doc): Doc {
  const member = group([propertyKey(p.name), p.optional ? '?' : '', ': ', typeDoc(p.type, 'annotation')]);
  return comment === '' ? member : [comment, hardline, member];
}

/** The members of an object type between its braces, not grouped: the
 *  group is the caller's (a function's only parameter shares its
 *  signature's). */
function objectTypeContent(members: readonly PropertySignature[]): Doc {
  if (members.length === 0) return '{}';
  const printed = members.map((m, i) => [propertySignatureDoc(m, m.docs ? docComment(m.docs) : ''), i < members.length - 1 ? [';', line] : ifBreak(';')]);
  return ['{', indent([line, printed]), line, '}'];
}

/** The type of a function's only parameter, which the parentheses hug:
 *  `(p: {` ... `})`.  Null when it is not an object type. */
export function huggedParameterType(t: TypeNode): Doc | null {
  if (t.kind === 'object') return objectTypeContent(t.members);
  return t.kind === 'mapped' ? typeDoc(t, 'annotation') : null;
}

/** A type as a document; `context` says where it stands. */
export function typeDoc(t: TypeNode, context: TypeContext): Doc {
  const body = typeBody(t, context);
  return needsBrackets(t, context) ? ['(', body, ')'] : body;
}

function typeBody(t: TypeNode, context: TypeContext): Doc {
  switch (t.kind) {
    case 'keyword':
      return t.name;
    case 'literal':
      return typeof t.value === 'string' ? quoteString(t.value) : String(t.value);
    case 'reference':
      return [t.name, typeArgumentsDoc(t.args)];
    case 'array':
      return [t.readonly ? 'readonly ' : '', typeDoc(t.element, 'operand'), '[]'];
    case 'union':
      return unionDoc(t.members, context, huggedUnion(t));
    case 'intersection':
      return intersectionDoc(t.members);
    case 'keyof':
      return ['keyof ', typeDoc(t.operand, 'operand')];
    case 'indexed':
      return [typeDoc(t.object, 'operand'), '[', typeDoc(t.index, 'annotation'), ']'];
    case 'object': {
      const content = objectTypeContent(t.members);
      return typeof content === 'string' ? content : group(content);
    }
    case 'predicate':
      return [t.parameter, ' is ', typeDoc(t.type, 'annotation')];
    case 'mapped':
      return group([
        '{',
        indent([
          line,
          group([group(['[', indent([softline, t.parameter, ' in ', typeDoc(t.constraint, 'annotation')]), softline, ']']), ': ', typeDoc(t.type, 'annotation')]),
          ifBreak(';'),
        ]),
        line,
        '}',
      ]);
  }
}
