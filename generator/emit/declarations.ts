/**
 * Type declarations for a module's entities: enum → string-literal union
 * plus its list of values; struct → interface (base → `extends`); union →
 * discriminated union on its tag; legacy simple union → `{ type, data }`
 * branches; alternate → union of its branch types.
 */
import { owningDefinition } from '../model/roles.js';
import type { AlternateType, EnumType, Member, ObjectType, QapiType } from '../model/types.js';
import { conditionText, DocBuilder, escapeDocText } from './docs.js';
import type { FileEmitter } from './file-emitter.js';
import { propertyKey, quote } from './names.js';
import { exportedType } from './structures.js';

export function emitTypeDeclaration(f: FileEmitter, t: QapiType): void {
  const id = f.plan.typeId(t);
  if (id === undefined) return;
  if (t.kind === 'enum') emitEnum(f, t, id);
  else if (t.kind === 'alternate') emitAlternate(f, t, id);
  else if (t.kind === 'object' && t.variants) emitUnion(f, t, id);
  else if (t.kind === 'object') emitStruct(f, t, id);
}

function literal(value: string): string {
  return quote(value);
}

function emitEnum(f: FileEmitter, t: EnumType, id: string): void {
  const values = t.members.filter((m) => f.plan.filter.keeps(m));
  const doc = new DocBuilder().entity(t.doc, t.ifcond, t.features);
  const described = values.map((v) => {
    const text = t.doc?.args.find((a) => a.name === v.name)?.text.trim() ?? '';
    const extras = [
      v.ifcond ? `(only when \`${conditionText(v.ifcond)}\`)` : '',
      v.features.some((x) => x.name === 'deprecated') ? '(deprecated)' : '',
      v.features.some((x) => x.name === 'unstable') ? '(unstable)' : '',
    ].filter((x) => x !== '');
    return `- \`${escapeDocText(v.name).replace(/`/g, '')}\`${text ? `: ${escapeDocText(text)}` : ''}${extras.length ? ` ${extras.join(' ')}` : ''}`;
  });
  if (described.length > 0) doc.note(`Values:\n${described.join('\n')}`);
  f.add(exportedType(id, values.length === 0 ? 'never' : values.map((v) => literal(v.name)).join(' | '), doc.build()));
  f.add({
    tag: 'variable',
    structure: {
      isExported: true,
      docs: [{ description: `Every value of {@link ${id}}, in schema order.` }],
      declarations: [{ name: id, type: `readonly ${id}[]`, initializer: `[${values.map((v) => literal(v.name)).join(', ')}]` }],
    },
  });
}

/** An interface property for a member, documented. */
function property(f: FileEmitter, m: Member, docText: string | undefined) {
  const doc = new DocBuilder().text(docText).condition(m.ifcond).features(m.features, null);
  return {
    name: propertyKey(m.name),
    type: f.typeText(m.type),
    hasQuestionToken: m.optional,
    docs: doc.build(),
  };
}

function memberDocText(f: FileEmitter, t: ObjectType, name: string): string | undefined {
  const { doc, prefix } = f.plan.memberDocs(t);
  return doc?.args.find((a) => a.name === prefix + name)?.text;
}

/** The doc of a declared object type; implicit ones say what they belong to. */
function objectDoc(f: FileEmitter, t: ObjectType): DocBuilder {
  if (!t.implicit) return new DocBuilder().entity(t.doc, t.ifcond, t.features);
  const role = t.role;
  const definition = owningDefinition(t);
  if (!role || role.kind === 'empty-object' || !definition) throw new Error(`implicit type '${t.name}' has no declaration of its own`);
  const owner = `\`${escapeDocText(definition.name).replace(/`/g, '')}\``;
  const says: Record<typeof role.kind, string> = {
    'union-base': `The common members of ${owner}.`,
    'nested-struct': `A nested structure of ${owner}.`,
    'event-data': `The data of event ${owner}.`,
    'command-arguments': `The arguments of command ${owner}.`,
    'branch-wrapper': `A branch of ${owner}.`,
  };
  return new DocBuilder().note(says[role.kind]).condition(t.ifcond);
}

function emitStruct(f: FileEmitter, t: ObjectType, id: string): void {
  const members = t.localMembers.filter((m) => f.plan.filter.keeps(m));
  f.add({
    tag: 'interface',
    structure: {
      name: id,
      isExported: true,
      docs: objectDoc(f, t).build(),
      extends: t.base ? [f.typeText(t.base)] : [],
      properties: members.map((m) => property(f, m, memberDocText(f, t, m.name))),
    },
  });
}

function emitUnion(f: FileEmitter, t: ObjectType, id: string): void {
  const variants = t.variants;
  if (!variants) return;
  const tag = variants.tagMember;
  const tagKey = propertyKey(tag.name);
  const base = t.base ? f.typeText(t.base) : null;
  const tagValues = tag.type.kind === 'enum' ? tag.type.members.filter((m) => f.plan.filter.keeps(m)) : [];
  const branches: string[] = [];
  const bare: string[] = [];
  for (const value of tagValues) {
    const v = variants.variants.find((x) => x.name === value.name && f.plan.filter.keeps(x));
    const hasMembers = v && v.type.kind === 'object' && (v.type.members.length > 0 || v.type.variants !== null);
    if (!v || !hasMembers) {
      bare.push(literal(value.name));
      continue;
    }
    const wrapped = variants.flavor === 'simple' && v.type.kind === 'object' ? v.type.members[0] : undefined;
    const parts = wrapped
      ? // Legacy simple union: `{ type: 'branch'; data: Branch }`.
        [base, `{ ${tagKey}: ${literal(value.name)}; ${propertyKey(wrapped.name)}: ${f.typeText(wrapped.type)} }`]
      : [base, `{ ${tagKey}: ${literal(value.name)} }`, f.typeText(v.type)];
    const present = parts.filter((p) => p !== null);
    branches.push(present.length === 1 ? present.join('') : `(${present.join(' & ')})`);
  }
  if (bare.length > 0) {
    branches.push(`(${[base, `{ ${tagKey}: ${bare.join(' | ')} }`].filter((p) => p !== null).join(' & ')})`);
  }
  const doc = objectDoc(f, t);
  const tagDoc = memberDocText(f, t, tag.name);
  doc.note(`Discriminated by \`${escapeDocText(tag.name).replace(/`/g, '')}\`${tagDoc ? `: ${escapeDocText(tagDoc.trim())}` : '.'}`);
  f.add(exportedType(id, branches.length === 0 ? 'never' : branches.join(' | '), doc.build()));
}

function emitAlternate(f: FileEmitter, t: AlternateType, id: string): void {
  const branches = t.variants.variants.filter((v) => f.plan.filter.keeps(v));
  const doc = new DocBuilder().entity(t.doc, t.ifcond, t.features);
  const described = branches
    .map((b) => {
      const text = t.doc?.args.find((a) => a.name === b.name)?.text.trim();
      return text ? `- \`${b.name.replace(/[^A-Za-z0-9_.-]/g, '')}\`: ${escapeDocText(text)}` : '';
    })
    .filter((x) => x !== '');
  if (described.length > 0) doc.note(`Branches:\n${described.join('\n')}`);
  const types = [...new Set(branches.map((b) => f.typeText(b.type)))];
  f.add({
    tag: 'type',
    structure: { name: id, isExported: true, docs: doc.build(), type: types.length === 0 ? 'never' : types.join(' | ') },
  });
}
