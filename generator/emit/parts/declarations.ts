/**
 * Type declarations for a module's entities: enum → string-literal union
 * plus its list of values; struct → interface (base → `extends`); union →
 * discriminated union on its tag; legacy simple union → `{ type, data }`
 * branches; alternate → union of its branch types.
 */
import { owningDefinition } from '../../model/roles.js';
import type { AlternateType, EnumType, Member, ObjectType, QapiType } from '../../model/types.js';
import type { FileBuilder } from './file-builder.js';
import { docLine, ex, typeAlias } from '../syntax/statements.js';
import { ty, type PropertySignature, type TypeNode } from '../syntax/type-syntax.js';
import { codeSpan, renderText } from './doc-markdown.js';
import { conditionText, DocBuilder } from './docs.js';
import { fixedText } from '../templates.js';

export function emitTypeDeclaration(f: FileBuilder, t: QapiType): void {
  const id = f.plan.typeId(t);
  if (id === undefined) return;
  if (t.kind === 'enum') emitEnum(f, t, id);
  else if (t.kind === 'alternate') emitAlternate(f, t, id);
  else if (t.kind === 'object' && t.variants) emitUnion(f, t, id);
  else if (t.kind === 'object') emitStruct(f, t, id);
}

function emitEnum(f: FileBuilder, t: EnumType, id: string): void {
  const values = t.members.filter((m) => f.plan.filter.keeps(m));
  const doc = new DocBuilder(f.docLinks).entity(t.doc, t.ifcond, t.features);
  const described = values.map((v) => {
    const extras = [
      v.ifcond ? `(only when ${codeSpan(conditionText(v.ifcond))})` : '',
      v.features.some((x) => x.name === 'deprecated') ? '(deprecated)' : '',
      v.features.some((x) => x.name === 'unstable') ? '(unstable)' : '',
    ].filter((x) => x !== '');
    return listItem(f, v.name, t.doc?.args.find((a) => a.name === v.name)?.text, extras);
  });
  if (described.length > 0) doc.note(`Values:\n\n${described.join('\n')}`);
  f.add(typeAlias(id, ty.union(values.map((v) => ty.literal(v.name))), doc.build()));
  f.add({
    kind: 'const',
    name: id,
    docs: docLine(fixedText('module', 'enum-values', { type: id })),
    type: ty.array(ty.ref(id), true),
    value: ex.array(values.map((v) => ex.literal(v.name))),
  });
}

/** `- \`name\` (extras): description`, the description's further lines
 *  indented under the item. */
function listItem(f: FileBuilder, name: string, text: string | undefined, extras: readonly string[] = []): string {
  const said = text && text.trim() !== '' ? renderText(text, f.docLinks) : '';
  const line = `${[codeSpan(name), ...extras].join(' ')}${said ? `: ${said}` : ''}`;
  return `- ${line.replace(/\n(?=.)/g, '\n  ')}`;
}

/** An interface property for a member, documented. */
function property(f: FileBuilder, t: ObjectType, m: Member): PropertySignature {
  // A member's features are described in its definition's doc.
  const owner = f.plan.memberDocs(t).doc;
  const doc = new DocBuilder(f.docLinks).text(memberDocText(f, t, m.name)).condition(m.ifcond).features(m.features, owner);
  return { ...ty.property(m.name, f.typeOf(m.type), m.optional), docs: doc.build() };
}

function memberDocText(f: FileBuilder, t: ObjectType, name: string): string | undefined {
  const { doc, prefix } = f.plan.memberDocs(t);
  return doc?.args.find((a) => a.name === prefix + name)?.text;
}

/** The doc of a declared object type; implicit ones say what they belong to. */
function objectDoc(f: FileBuilder, t: ObjectType): DocBuilder {
  const role = t.role;
  if (!role) return new DocBuilder(f.docLinks).entity(t.doc, t.ifcond, t.features);
  const definition = owningDefinition(t);
  if (role.kind === 'empty-object' || !definition) throw new Error(`implicit type '${t.name}' has no declaration of its own`);
  const owner = codeSpan(definition.name);
  const says: Record<typeof role.kind, string> = {
    'union-base': `The common members of ${owner}.`,
    'nested-struct': `A nested structure of ${owner}.`,
    'event-data': `The data of event ${owner}.`,
    'command-arguments': `The arguments of command ${owner}.`,
    'branch-wrapper': `A branch of ${owner}.`,
  };
  return new DocBuilder(f.docLinks).note(says[role.kind]).condition(t.ifcond);
}

function emitStruct(f: FileBuilder, t: ObjectType, id: string): void {
  const members = t.localMembers.filter((m) => f.plan.filter.keeps(m));
  f.add({
    kind: 'interface',
    name: id,
    docs: objectDoc(f, t).build(),
    extends: t.base ? [f.typeOf(t.base)] : [],
    properties: members.map((m) => property(f, t, m)),
  });
}

function emitUnion(f: FileBuilder, t: ObjectType, id: string): void {
  const variants = t.variants;
  if (!variants) return;
  const tag = variants.tagMember;
  const base = t.base ? [f.typeOf(t.base)] : [];
  const tagValues = tag.type.kind === 'enum' ? tag.type.members.filter((m) => f.plan.filter.keeps(m)) : [];
  const branches: TypeNode[] = [];
  const bare: TypeNode[] = [];
  for (const value of tagValues) {
    const v = variants.variants.find((x) => x.name === value.name && f.plan.filter.keeps(x));
    const hasMembers = v && v.type.kind === 'object' && (v.type.members.length > 0 || v.type.variants !== null);
    if (!v || !hasMembers) {
      bare.push(ty.literal(value.name));
      continue;
    }
    const tagged = ty.property(tag.name, ty.literal(value.name));
    const wrapped = variants.flavor === 'simple' && v.type.kind === 'object' ? v.type.members[0] : undefined;
    branches.push(
      wrapped
        ? // Legacy simple union: `{ type: 'branch'; data: Branch }`.
          ty.intersection([...base, ty.object([tagged, ty.property(wrapped.name, f.typeOf(wrapped.type))])])
        : ty.intersection([...base, ty.object([tagged]), f.typeOf(v.type)]),
    );
  }
  if (bare.length > 0) branches.push(ty.intersection([...base, ty.object([ty.property(tag.name, ty.union(bare))])]));
  const doc = objectDoc(f, t);
  const tagDoc = memberDocText(f, t, tag.name);
  doc.note(`Discriminated by ${codeSpan(tag.name)}${tagDoc && tagDoc.trim() !== '' ? `: ${renderText(tagDoc, f.docLinks)}` : '.'}`);
  f.add(typeAlias(id, ty.union(branches), doc.build()));
}

function emitAlternate(f: FileBuilder, t: AlternateType, id: string): void {
  const branches = t.variants.variants.filter((v) => f.plan.filter.keeps(v));
  const doc = new DocBuilder(f.docLinks).entity(t.doc, t.ifcond, t.features);
  const described = branches.flatMap((b) => {
    const text = t.doc?.args.find((a) => a.name === b.name)?.text;
    return text && text.trim() !== '' ? [listItem(f, b.name, text)] : [];
  });
  if (described.length > 0) doc.note(`Branches:\n\n${described.join('\n')}`);
  // Branches of the same TypeScript type appear once.
  const seen = new Map<string, TypeNode>();
  for (const b of branches) {
    const node = f.typeOf(b.type);
    seen.set(JSON.stringify(node), node);
  }
  f.add(typeAlias(id, ty.union([...seen.values()]), doc.build()));
}
