/**
 * Type declarations for a module's entities: enum → string-literal union
 * plus its list of values; struct → interface (base → `extends`); union →
 * discriminated union on its tag; legacy simple union → `{ type, data }`
 * branches; alternate → union of its branch types.
 */
import { owningDefinition } from '../../model/roles.js';
import type { AlternateType, EnumMember, EnumType, Member, ObjectType, QapiType, Variant } from '../../model/types.js';
import { RELEASE, type FileBuilder } from './file-builder.js';
import { docLine, ex, type DocNode, type Statement } from '../syntax/statements.js';
import { ty, type PropertySignature, type TypeNode } from '../syntax/type-syntax.js';
import { codeSpan, renderText } from './doc-markdown.js';
import { conditionText, DocBuilder, type FeatureWhen } from './docs.js';
import { featureWhen, memberNotes, presenceNote } from './availability.js';
import { fixedText } from '../templates.js';

export function emitTypeDeclaration(f: FileBuilder, t: QapiType): void {
  const id = f.plan.typeId(t);
  if (id === undefined) return;
  if (t.kind === 'enum') emitEnum(f, t, id);
  else if (t.kind === 'alternate') emitAlternate(f, t, id);
  else if (t.kind === 'object' && t.variants) emitUnion(f, t, id);
  else if (t.kind === 'object') emitStruct(f, t, id);
}

/** `type NAME = TYPE` (or `NAME<R ...>` for a type of a span that takes
 *  the release), documented. */
function declareAlias(f: FileBuilder, t: QapiType, name: string, type: TypeNode, docs: readonly DocNode[]): Statement {
  const typeParameters = isGeneric(f, t) ? [f.releaseParameter()] : [];
  return { kind: 'type', name, docs, typeParameters, type };
}

function isGeneric(f: FileBuilder, t: QapiType): boolean {
  return f.plan.span?.isGeneric(t) ?? false;
}

/** The release parameter to pass on inside a type's declaration. */
function releaseIn(f: FileBuilder, t: QapiType): TypeNode | undefined {
  return isGeneric(f, t) ? RELEASE : undefined;
}

/** The doc of a definition, with the releases having it (in a span). */
function entityDoc(f: FileBuilder, t: QapiType): DocBuilder {
  const doc = new DocBuilder(f.docLinks).entity(t.doc, t.ifcond, t.features, featuresWhen(f, t));
  return noteReleases(f, doc, t);
}

/** When the features of a part hold, within the releases of `t`. */
function featuresWhen(f: FileBuilder, t: QapiType, within?: number): FeatureWhen | undefined {
  const shapes = f.plan.span;
  if (!shapes) return undefined;
  const set = within ?? shapes.releasesOf(t);
  return (x) => featureWhen(shapes.span, x, set);
}

function noteReleases(f: FileBuilder, doc: DocBuilder, t: QapiType): DocBuilder {
  const shapes = f.plan.span;
  const note = shapes ? presenceNote(shapes.span, shapes.releasesOf(t), shapes.span.all) : null;
  return note ? doc.note(note) : doc;
}

/** `a | b | InRelease<R, S, c | d>`: items grouped by releases, each group
 *  gated where the type's releases do not all have it. */
function gatedUnion<T>(f: FileBuilder, t: QapiType, groups: readonly { in: number; items: readonly T[] }[], node: (x: T) => TypeNode): TypeNode {
  const within = f.plan.span!.releasesOf(t);
  return ty.union(groups.map((g) => (g.in === within ? ty.union(g.items.map(node)) : f.inRelease(g.in, ty.union(g.items.map(node))))));
}

function emitEnum(f: FileBuilder, t: EnumType, id: string): void {
  const values = t.members.filter((m) => f.plan.filter.keeps(m));
  const shapes = f.plan.span;
  const doc = entityDoc(f, t);
  const described = values.map((v) => {
    const extras = [
      v.ifcond ? `(only when ${codeSpan(conditionText(v.ifcond))})` : '',
      v.features.some((x) => x.name === 'deprecated') ? '(deprecated)' : '',
      v.features.some((x) => x.name === 'unstable') ? '(unstable)' : '',
      shapes ? releasesExtra(presenceNote(shapes.span, shapes.span.value(v), shapes.releasesOf(t))) : '',
    ].filter((x) => x !== '');
    return listItem(f, v.name, t.doc?.args.find((a) => a.name === v.name)?.text, extras);
  });
  if (described.length > 0) doc.note(`Values:\n\n${described.join('\n')}`);
  const type = shapes && isGeneric(f, t) ? gatedUnion(f, t, shapes.valueGroups(t), (v) => ty.literal(v.name)) : ty.union(values.map((v) => ty.literal(v.name)));
  f.add(declareAlias(f, t, id, type, doc.build()));
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

/** "(in QEMU 8.2 and later)" after a listed value. */
function releasesExtra(note: string | null): string {
  return note === null ? '' : `(${note.charAt(0).toLowerCase()}${note.slice(1, -1)})`;
}

/** A property for a member, documented; in a span, typed by release where
 *  releases type it otherwise, and `optional` as its group says. */
function property(f: FileBuilder, t: ObjectType, m: Member, optional = m.optional): PropertySignature {
  // A member's features are described in its definition's doc.
  const owner = f.plan.memberDocs(t).doc;
  const shapes = f.plan.span;
  const within = shapes ? shapes.releasesOf(t) & shapes.span.member(m).in : undefined;
  const doc = new DocBuilder(f.docLinks).text(memberDocText(f, t, m.name)).condition(m.ifcond).features(m.features, owner, featuresWhen(f, t, within));
  if (shapes) for (const note of memberNotes(shapes.span, m, shapes.releasesOf(t))) doc.note(note);
  return { ...ty.property(m.name, memberType(f, t, m), optional), docs: doc.build() };
}

/** A member's type; in a span, `InRelease<R, S1, A> | InRelease<R, S2, B>`
 *  where releases type it differently. */
function memberType(f: FileBuilder, t: ObjectType, m: Member): TypeNode {
  const shapes = f.plan.span;
  const r = releaseIn(f, t);
  if (!shapes) return f.typeOf(m.type);
  const types = shapes.distinctTypes(shapes.span.member(m).types);
  if (types.length <= 1) return f.typeOf(m.type, r);
  return ty.union(types.map((x) => f.inRelease(x.in, f.typeOf(x.type!, RELEASE))));
}

function memberDocText(f: FileBuilder, t: ObjectType, name: string): string | undefined {
  const { doc, prefix } = f.plan.memberDocs(t);
  return doc?.args.find((a) => a.name === prefix + name)?.text;
}

/** The doc of a declared object type; implicit ones say what they belong to. */
function objectDoc(f: FileBuilder, t: ObjectType): DocBuilder {
  const role = t.role;
  if (!role) return entityDoc(f, t);
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
  return noteReleases(f, new DocBuilder(f.docLinks).note(says[role.kind]).condition(t.ifcond), t);
}

function emitStruct(f: FileBuilder, t: ObjectType, id: string): void {
  const shapes = f.plan.span;
  if (shapes?.isAlias(t)) return emitVaryingStruct(f, t, id);
  const members = t.localMembers.filter((m) => f.plan.filter.keeps(m));
  const r = releaseIn(f, t);
  f.add({
    kind: 'interface',
    name: id,
    docs: objectDoc(f, t).build(),
    ...(r ? { typeParameters: [f.releaseParameter()] } : {}),
    extends: t.base ? [f.typeOf(t.base, r)] : [],
    properties: members.map((m) => property(f, t, m)),
  });
}

/** The members of an object whose releases differ: those all its releases
 *  have alike as written, then one ReleaseMembers group per set of
 *  releases having and requiring them. */
function memberParts(f: FileBuilder, t: ObjectType, members: readonly Member[]): TypeNode[] {
  const layout = f.plan.span!.memberLayout(t, members);
  const parts: TypeNode[] = [];
  if (layout.always.length > 0) parts.push(ty.object(layout.always.map((m) => property(f, t, m))));
  for (const g of layout.groups) {
    const object = ty.object(g.members.map((m) => property(f, t, m, false)));
    parts.push(f.runtimeType('ReleaseMembers', RELEASE, f.releaseSet(g.in), g.required === 0 ? ty.keyword('never') : f.releaseSet(g.required), object));
  }
  return parts;
}

/** A struct whose members differ between its releases: a type alias. */
function emitVaryingStruct(f: FileBuilder, t: ObjectType, id: string): void {
  const parts = [...(t.base ? [f.typeOf(t.base, RELEASE)] : []), ...memberParts(f, t, t.localMembers)];
  f.add(declareAlias(f, t, id, parts.length === 0 ? ty.object([]) : ty.intersection(parts), objectDoc(f, t).build()));
}

function emitUnion(f: FileBuilder, t: ObjectType, id: string): void {
  const variants = t.variants;
  if (!variants) return;
  const shapes = f.plan.span;
  const r = releaseIn(f, t);
  const tag = variants.tagMember;
  // A span's union whose base could not stay one holds its members itself.
  const locals = shapes && !t.base ? memberParts(f, t, t.localMembers.filter((m) => m !== tag)) : [];
  const base = [...(t.base ? [f.typeOf(t.base, r)] : []), ...locals];
  const tagValues = tag.type.kind === 'enum' ? tag.type.members.filter((m) => f.plan.filter.keeps(m)) : [];
  const within = shapes?.releasesOf(t) ?? 0;
  // In a span: the releases of the union having a tag value, when not all.
  const gate = (value: EnumMember, node: TypeNode): TypeNode => {
    if (!shapes) return node;
    const set = shapes.span.value(value) & within;
    return set === within ? node : f.inRelease(set, node);
  };
  const branches: TypeNode[] = [];
  const bare: TypeNode[] = [];
  for (const value of tagValues) {
    const v = variants.variants.find((x) => x.name === value.name && f.plan.filter.keeps(x));
    const hasMembers = v && v.type.kind === 'object' && (v.type.members.length > 0 || v.type.variants !== null);
    if (!v || !hasMembers) {
      bare.push(gate(value, ty.literal(value.name)));
      continue;
    }
    const tagged = ty.property(tag.name, ty.literal(value.name));
    const wrapped = variants.flavor === 'simple' && v.type.kind === 'object' ? v.type.members[0] : undefined;
    branches.push(
      gate(
        value,
        wrapped
          ? // Legacy simple union: `{ type: 'branch'; data: Branch }`.
            ty.intersection([...base, ty.object([tagged, ty.property(wrapped.name, f.typeOf(wrapped.type, r))])])
          : ty.intersection([...base, ty.object([tagged]), variantType(f, t, v)]),
      ),
    );
  }
  if (bare.length > 0) branches.push(ty.intersection([...base, ty.object([ty.property(tag.name, ty.union(bare))])]));
  const doc = objectDoc(f, t);
  const tagDoc = memberDocText(f, t, tag.name);
  doc.note(`Discriminated by ${codeSpan(tag.name)}${tagDoc && tagDoc.trim() !== '' ? `: ${renderText(tagDoc, f.docLinks)}` : '.'}`);
  f.add(declareAlias(f, t, id, ty.union(branches), doc.build()));
}

/** A union's case or an alternate's branch: its type, by release in a span
 *  where releases type it otherwise. */
function variantType(f: FileBuilder, t: QapiType, v: Variant): TypeNode {
  const shapes = f.plan.span;
  if (!shapes) return f.typeOf(v.type);
  const types = shapes.distinctTypes(shapes.span.variant(v).types);
  if (types.length <= 1) return f.typeOf(v.type, releaseIn(f, t));
  return ty.union(types.map((x) => f.inRelease(x.in, f.typeOf(x.type!, RELEASE))));
}

function emitAlternate(f: FileBuilder, t: AlternateType, id: string): void {
  const branches = t.variants.variants.filter((v) => f.plan.filter.keeps(v));
  const shapes = f.plan.span;
  const doc = entityDoc(f, t);
  const described = branches.flatMap((b) => {
    const text = t.doc?.args.find((a) => a.name === b.name)?.text;
    const extra = shapes ? releasesExtra(presenceNote(shapes.span, shapes.span.variant(b).in, shapes.releasesOf(t))) : '';
    return (text && text.trim() !== '') || extra !== '' ? [listItem(f, b.name, text, extra === '' ? [] : [extra])] : [];
  });
  if (described.length > 0) doc.note(`Branches:\n\n${described.join('\n')}`);
  // Branches of the same TypeScript type appear once.
  const seen = new Map<string, TypeNode>();
  const add = (node: TypeNode): void => {
    seen.set(JSON.stringify(node), node);
  };
  if (shapes && isGeneric(f, t)) {
    for (const g of shapes.branchGroups(t)) {
      const nodes = g.items.map((b) => variantType(f, t, b));
      add(g.in === shapes.releasesOf(t) ? ty.union(nodes) : f.inRelease(g.in, ty.union(nodes)));
    }
  } else for (const b of branches) add(variantType(f, t, b));
  f.add(declareAlias(f, t, id, ty.union([...seen.values()]), doc.build()));
}
