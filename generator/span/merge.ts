/**
 * The span stage: the models of several releases merged into one model
 * with availability (types.ts).
 *
 * Types are merged as correspond.ts pairs them; commands and events by
 * name.  Every merged entity takes what it does not vary by (its flags,
 * conditions, documentation text, module) from the newest release that
 * has it, and holds the union of what the releases have (members, values,
 * cases, branches, features), each with the releases that have it.
 * Merged types are named as naming.ts says; a type the newest release
 * makes itself (a command's inline arguments, a union's inline base) stays
 * implicit, owned by the merged owner (its role, set here).  The merged
 * entities and modules are listed in the order order.ts gives them.
 *
 * The merged model is honest for backends that know no span: a member is
 * optional where some release of its type lacks it or makes it optional;
 * its type is the newest release's.
 */
import type {
  AlternateType,
  ArrayType,
  BuiltinType,
  Command,
  EntityDoc,
  EnumMember,
  EnumType,
  Event,
  Feature,
  ImplicitEnumRole,
  ImplicitObjectRole,
  Member,
  ObjectType,
  QapiType,
  Variant,
  Variants,
  Entity,
} from '../model/types.js';
import { BUILTIN_MODULE } from '../model/types.js';
import { branchKind, byName, correspond, identityOf, orderedNames, type Correspondence, type Identity, type PlaceGroup, type ReleaseModel, type SpanRef, type SpanRoot } from './correspond.js';
import { allReleases, compareReleaseNames, MAX_RELEASES, newestOf, single, type ReleaseSet } from './releases.js';
import { Annotation } from './annotation.js';
import { isImplicitIdentity, isSource, nameMergedTypes } from './naming.js';
import { orderEntities, orderModules } from './order.js';
import type { SpannedModel, TypeInReleases } from './types.js';

export type { ReleaseModel } from './correspond.js';

/** A span that cannot be made: too many releases, or a release twice. */
export class SpanError extends Error {
  override readonly name = 'SpanError';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The set of the releases where `pick` finds something. */
function setWhere<T>(list: readonly (T | undefined)[], pick: (x: T) => unknown = () => true): ReleaseSet {
  let set = 0;
  list.forEach((x, r) => {
    if (x !== undefined && pick(x)) set |= single(r);
  });
  return set;
}

class Merger {
  private readonly c: Correspondence;
  private readonly span: Annotation;
  private readonly names = new Map<Identity, string>();
  private readonly entityOf = new Map<Identity, QapiType>();
  private readonly builtins = new Map<string, BuiltinType>();
  private readonly arrays = new Map<QapiType, ArrayType>();
  private readonly commands = new Map<string, Command>();
  private readonly events = new Map<string, Event>();

  constructor(private readonly inputs: readonly ReleaseModel[]) {
    this.c = correspond(inputs);
    this.span = new Annotation(
      inputs.map((i) => i.release),
      allReleases(inputs.length),
    );
    for (let r = inputs.length - 1; r >= 0; r--) {
      for (const e of inputs[r]!.model.entities) if (e.kind === 'builtin' && !this.builtins.has(e.name)) this.builtins.set(e.name, e);
    }
  }

  // ---- roles ---------------------------------------------------------------

  private isImplicit(id: Identity): boolean {
    return isImplicitIdentity(this.c, id);
  }

  private rootsByArguments: Map<Identity, SpanRoot[]> | undefined;

  /** The commands and events whose arguments (or data) each identity is. */
  private argumentsOf(): Map<Identity, SpanRoot[]> {
    if (this.rootsByArguments === undefined) {
      this.rootsByArguments = new Map();
      for (const root of this.c.roots) {
        for (const g of root.args) {
          if (g.ref.kind !== 'identity') continue;
          const list = this.rootsByArguments.get(g.ref.id) ?? [];
          list.push(root);
          this.rootsByArguments.set(g.ref.id, list);
        }
      }
    }
    return this.rootsByArguments;
  }

  private parentAt(id: Identity, place: (p: string) => boolean): Identity | undefined {
    const newest = id.newest;
    const candidates = (this.c.parents.get(id) ?? []).filter((p) => place(p.place));
    // The parent whose own newest component holds this type's, if any.
    const holding = candidates.find(({ parent }) => holds(parent.comps[newestOf(id.in)], newest));
    return (holding ?? candidates[0])?.parent;
  }

  private objectRole(id: Identity): ImplicitObjectRole | null {
    if (id === this.c.empty) return { kind: 'empty-object' };
    const newest = id.newest;
    if (newest.kind !== 'object' || newest.role === null) return null;
    const role = newest.role;
    switch (role.kind) {
      case 'empty-object':
        return { kind: 'empty-object' };
      case 'command-arguments':
      case 'event-data': {
        const map = role.kind === 'command-arguments' ? this.commands : this.events;
        const root = this.argumentsOf().get(id)?.find((x) => x.kind === (role.kind === 'command-arguments' ? 'command' : 'event'));
        const owner = root && map.get(root.name);
        if (!owner) return null;
        return role.kind === 'command-arguments' ? { kind: role.kind, owner: owner as Command } : { kind: role.kind, owner: owner as Event };
      }
      case 'union-base': {
        const parent = this.parentAt(id, (p) => p === '^');
        return parent ? { kind: 'union-base', owner: this.objectOf(parent) } : null;
      }
      case 'nested-struct': {
        const parent = this.parentAt(id, (p) => p === `.${role.member}`);
        return parent ? { kind: 'nested-struct', owner: this.objectOf(parent), member: role.member } : null;
      }
      case 'branch-wrapper': {
        const parent = this.parentAt(id, (p) => p.startsWith('('));
        return parent ? { kind: 'branch-wrapper', owner: this.objectOf(parent) } : null;
      }
    }
  }

  private enumRole(id: Identity): ImplicitEnumRole | null {
    const newest = id.newest;
    if (newest.kind !== 'enum' || newest.role === null) return null;
    if (newest.role.kind === 'qtype') return { kind: 'qtype' };
    const tag = newest.role.owner.variants?.tagMember.name ?? 'type';
    const parent = this.parentAt(id, (p) => p === `.${tag}`);
    return parent ? { kind: 'union-tag', owner: this.objectOf(parent) } : null;
  }

  private objectOf(id: Identity): ObjectType {
    const t = this.entityOf.get(id);
    if (t?.kind !== 'object') throw new Error(`merged type '${this.names.get(id)}' is no object`);
    return t;
  }

  // ---- entities ------------------------------------------------------------

  /** The newest component's module, preferring source schemas. */
  private moduleOf(comps: readonly ({ readonly module: string } | undefined)[]): string {
    for (const source of [true, false]) {
      for (let r = comps.length - 1; r >= 0; r--) {
        const c = comps[r];
        if (c !== undefined && isSource(this.inputs[r]!) === source) return c.module;
      }
    }
    throw new Error('a merged entity without components');
  }

  /** The documentation of the newest component that has one, with what
   *  older ones describe that it does not (members, features). */
  private docOf(comps: readonly ({ readonly doc: EntityDoc | null } | undefined)[]): EntityDoc | null {
    const docs = comps.map((c) => c?.doc ?? undefined).filter((d): d is EntityDoc => d !== undefined).reverse();
    const [newest, ...older] = docs;
    if (newest === undefined) return null;
    if (older.length === 0) return newest;
    const args = [...newest.args];
    const features = [...newest.features];
    const argNames = new Set(args.map((a) => a.name));
    const featureNames = new Set(features.map((f) => f.name));
    for (const d of older) {
      for (const a of d.args) if (!argNames.has(a.name)) argNames.add(a.name), args.push(a);
      for (const f of d.features) if (!featureNames.has(f.name)) featureNames.add(f.name), features.push(f);
    }
    return { ...newest, args, features };
  }

  /** Features merged by name, each with the releases having it. */
  private featuresOf(lists: readonly (readonly Feature[] | undefined)[]): Feature[] {
    const out: Feature[] = [];
    const maps = lists.map((l) => (l === undefined ? undefined : byName(l)));
    for (const name of orderedNames(lists.map((l) => l?.map((f) => f.name) ?? []))) {
      const found = maps.map((l) => l?.get(name));
      const newest = found[newestOf(setWhere(found))]!;
      const merged: Feature = { name, ifcond: newest.ifcond };
      this.span.features.set(merged, setWhere(found));
      out.push(merged);
    }
    return out;
  }

  private refEntity(ref: SpanRef): QapiType {
    switch (ref.kind) {
      case 'builtin': {
        const b = this.builtins.get(ref.name);
        if (!b) throw new Error(`no built-in type '${ref.name}'`);
        return b;
      }
      case 'array':
        return this.arrayOf(this.refEntity(ref.element));
      case 'identity': {
        const t = this.entityOf.get(ref.id);
        if (!t) throw new Error('a merged type referred to before it exists');
        return t;
      }
    }
  }

  private arrayOf(element: QapiType): ArrayType {
    let a = this.arrays.get(element);
    if (!a) {
      a = {
        kind: 'array',
        name: `${element.name}List`,
        elementType: element,
        info: null,
        context: null,
        module: element.module,
        doc: null,
        ifcond: null,
        features: [],
        definition: null,
      };
      this.arrays.set(element, a);
    }
    return a;
  }

  private typesOf(groups: readonly PlaceGroup[]): TypeInReleases[] {
    return groups.map((g) => ({ in: g.in, type: this.refEntity(g.ref) }));
  }

  /** Shells first (types refer to each other), filled after. */
  private makeShells(): void {
    for (const id of this.c.identities) {
      const comps = id.comps;
      const newest = id.newest;
      const common = {
        name: this.names.get(id)!,
        info: newest.info,
        context: newest.context,
        module: id === this.c.empty ? BUILTIN_MODULE : this.moduleOf(comps),
        doc: this.isImplicit(id) ? null : this.docOf(comps),
        ifcond: newest.ifcond,
        features: this.featuresOf(comps.map((t) => t?.features)),
        // Merged from several releases' definitions.
        definition: null,
      };
      let shell: QapiType;
      switch (id.kind) {
        case 'enum':
          shell = { ...common, kind: 'enum', members: [], prefix: newest.kind === 'enum' ? newest.prefix : null, role: null, implicit: false } satisfies EnumType;
          break;
        case 'object':
          shell = {
            ...common,
            kind: 'object',
            meta: newest.kind === 'object' ? newest.meta : 'struct',
            base: null,
            localMembers: [],
            members: [],
            variants: null,
            role: null,
            implicit: false,
          } satisfies ObjectType;
          break;
        case 'alternate':
          shell = { ...common, kind: 'alternate', variants: { flavor: 'flat', tagMember: null as unknown as Member, variants: [] } } satisfies AlternateType;
          break;
      }
      this.entityOf.set(id, shell);
      this.span.entities.set(shell, id.in);
    }
  }

  private childGroups(id: Identity, place: string): readonly PlaceGroup[] {
    return this.c.children.get(id)?.find((c) => c.place === place)?.groups ?? [];
  }

  private fillEnum(id: Identity, t: Mutable<EnumType>): void {
    const comps = id.comps.map((c) => (c?.kind === 'enum' ? c : undefined));
    const maps = comps.map((c) => (c === undefined ? undefined : byName(c.members)));
    t.members = orderedNames(comps.map((c) => c?.members.map((m) => m.name) ?? [])).map((name) => {
      const found = maps.map((c) => c?.get(name));
      const newest = found[newestOf(setWhere(found))]!;
      const value: EnumMember = { name, ifcond: newest.ifcond, features: this.featuresOf(found.map((m) => m?.features)) };
      this.span.values.set(value, setWhere(found));
      return value;
    });
  }

  /** A member of a merged object, from the members of that name. */
  private member(name: string, found: readonly (Member | undefined)[], groups: readonly PlaceGroup[], within: ReleaseSet, definedIn: string): Member {
    const present = setWhere(found);
    const optionalIn = setWhere(found, (m) => m.optional);
    const types = this.typesOf(groups.map((g) => ({ in: g.in & present, ref: g.ref })).filter((g) => g.in !== 0));
    const newest = found[newestOf(present)]!;
    const member: Member = {
      name,
      type: types[0]!.type!,
      // Honest for every release: optional where some release lacks it.
      optional: optionalIn !== 0 || (within & ~present) !== 0,
      ifcond: newest.ifcond,
      features: this.featuresOf(found.map((m) => m?.features)),
      definedIn,
    };
    this.span.members.set(member, { in: present, optionalIn, types });
    return member;
  }

  /** Whether an object's base can stay one: every release has it, it is
   *  one merged type, and no member moves between base and type. */
  private keptBase(id: Identity, objects: readonly (ObjectType | undefined)[]): Identity | null {
    const groups = this.childGroups(id, '^');
    if (groups.length !== 1 || groups[0]!.ref.kind !== 'identity') return null;
    if (objects.some((o) => o !== undefined && o.base === null)) return null;
    const inBase = new Set(objects.flatMap((o) => o?.base?.members.map((m) => m.name) ?? []));
    if (objects.some((o) => o?.localMembers.some((m) => inBase.has(m.name)))) return null;
    return groups[0]!.ref.id;
  }

  private fillObject(id: Identity, t: Mutable<ObjectType>): void {
    const objects = id.comps.map((c) => (c?.kind === 'object' ? c : undefined));
    const base = this.keptBase(id, objects);
    if (base) this.fill(base);
    const mergedBase = base ? this.objectOf(base) : null;
    t.base = mergedBase;
    const locals = objects.map((o) => (o === undefined ? undefined : base ? o.localMembers : o.members));
    const maps = locals.map((l) => (l === undefined ? undefined : byName(l)));
    const children = new Map((this.c.children.get(id) ?? []).map((c) => [c.place, c.groups]));
    t.localMembers = orderedNames(locals.map((l) => l?.map((m) => m.name) ?? [])).map((name) =>
      this.member(name, maps.map((l) => l?.get(name)), children.get(`.${name}`) ?? [], id.in, t.name),
    );
    t.members = [...(mergedBase?.members ?? []), ...t.localMembers];
    const withVariants = setWhere(objects, (o) => o.variants !== null);
    const newest = withVariants === 0 ? null : objects[newestOf(withVariants)]!.variants;
    if (newest) {
      const cases = orderedNames(objects.map((o) => o?.variants?.variants.map((v) => v.name) ?? []));
      const caseMaps = objects.map((o) => (o?.variants ? byName(o.variants.variants) : undefined));
      const tagMember = t.members.find((m) => m.name === newest.tagMember.name);
      if (!tagMember) throw new Error(`merged union '${t.name}' lost its tag '${newest.tagMember.name}'`);
      const variants = cases.map((name) => {
        return this.variant(name, caseMaps.map((m) => m?.get(name)), children.get(`(${name})`) ?? []);
      });
      t.variants = { flavor: newest.flavor, tagMember, variants } satisfies Variants;
    }
  }

  private variant(name: string, found: readonly (Variant | undefined)[], groups: readonly PlaceGroup[]): Variant {
    const present = setWhere(found);
    const newest = found[newestOf(present)]!;
    const types = this.typesOf(groups);
    const v: Variant = { name, type: types[0]!.type!, ifcond: newest.ifcond };
    this.span.variants.set(v, { in: present, types });
    return v;
  }

  private fillAlternate(id: Identity, t: Mutable<AlternateType>): void {
    const alternates = id.comps.map((c) => (c?.kind === 'alternate' ? c : undefined));
    const children = (this.c.children.get(id) ?? []).filter((c) => c.place.startsWith('<'));
    const variants = children.map((child) => {
      const kind = child.place.slice(1, -1);
      const found = alternates.map((a) => a?.variants.variants.find((v) => branchKind(v.type) === kind));
      return this.variant(found[newestOf(setWhere(found))]!.name, found, child.groups);
    });
    const newest = id.newest as AlternateType;
    const tag = newest.variants.tagMember;
    const qtype = this.typeLike(tag.type);
    const tagMember: Member = { name: tag.name, type: qtype, optional: false, ifcond: null, features: [], definedIn: t.name };
    this.span.members.set(tagMember, { in: id.in, optionalIn: 0, types: [{ in: id.in, type: qtype }] });
    t.variants = { flavor: newest.variants.flavor, tagMember, variants };
  }

  /** The merged type a release's type became (the first, when several). */
  private typeLike(t: QapiType): QapiType {
    if (t.kind === 'builtin') return this.builtins.get(t.name) ?? t;
    if (t.kind === 'array') return this.arrayOf(this.typeLike(t.elementType));
    const id = this.c.identitiesOf(t)[0];
    if (id === undefined) throw new Error(`type '${t.name}' has no merged type`);
    return this.entityOf.get(id)!;
  }

  private readonly filled = new Set<Identity>();

  /** Fills a shell (a base before the types built on it). */
  private fill(id: Identity): void {
    if (this.filled.has(id)) return;
    this.filled.add(id);
    const t = this.entityOf.get(id)!;
    if (t.kind === 'enum') this.fillEnum(id, t as Mutable<EnumType>);
    else if (t.kind === 'object') this.fillObject(id, t as Mutable<ObjectType>);
    else if (t.kind === 'alternate') this.fillAlternate(id, t as Mutable<AlternateType>);
  }

  private fillTypes(): void {
    for (const id of this.c.identities) this.fill(id);
  }

  private makeRoots(): void {
    for (const root of this.c.roots) {
      const comps = root.comps;
      const newest = comps[newestOf(root.in)]!;
      const argGroup = root.args[0];
      const argId = argGroup ? identityOf(argGroup.ref) : null;
      const argType = argId === null || argId === this.c.empty ? null : (this.entityOf.get(argId) as ObjectType);
      const common = {
        name: root.name,
        info: newest.info,
        context: newest.context,
        module: this.moduleOf(comps),
        doc: this.docOf(comps),
        ifcond: newest.ifcond,
        features: this.featuresOf(comps.map((c) => c?.features)),
        // Merged from several releases' definitions.
        definition: null,
        argType,
      };
      if (root.kind === 'command' && newest.kind === 'command') {
        const returns: TypeInReleases[] = this.typesOf(root.returns);
        const nothing = root.in & ~returns.reduce((s, g) => s | g.in, 0);
        if (nothing !== 0) returns.push({ in: nothing, type: null });
        returns.sort((a, b) => newestOf(b.in) - newestOf(a.in));
        const { boxed, gen, successResponse, allowOob, allowPreconfig, coroutine } = newest;
        const command: Command = { ...common, kind: 'command', retType: returns[0]?.type ?? null, boxed, gen, successResponse, allowOob, allowPreconfig, coroutine };
        this.commands.set(root.name, command);
        this.span.entities.set(command, root.in);
        this.span.returnTypes.set(command, returns);
      } else if (newest.kind === 'event') {
        const event: Event = { ...common, kind: 'event', boxed: newest.boxed };
        this.events.set(root.name, event);
        this.span.entities.set(event, root.in);
      }
    }
  }

  private setRoles(): void {
    for (const id of this.c.identities) {
      const t = this.entityOf.get(id)! as Mutable<QapiType>;
      if (t.kind === 'object') {
        const role = this.objectRole(id);
        (t as Mutable<ObjectType>).role = role;
        (t as Mutable<ObjectType>).implicit = role !== null;
        if (role !== null) (t as Mutable<ObjectType>).doc = null;
      } else if (t.kind === 'enum') {
        const role = this.enumRole(id);
        (t as Mutable<EnumType>).role = role;
        (t as Mutable<EnumType>).implicit = role !== null;
      }
    }
  }

  merge(): SpannedModel {
    for (const [id, name] of nameMergedTypes(this.c, this.inputs)) this.names.set(id, name);
    this.makeShells();
    this.fillTypes();
    this.makeRoots();
    this.setRoles();
    const parts = { correspondence: this.c, builtins: this.builtins, arrays: this.arrays, entityOf: this.entityOf, commands: this.commands, events: this.events };
    const entities = orderEntities(this.inputs, parts);
    const byName = new Map<string, Entity>();
    for (const e of entities) if (!byName.has(e.name)) byName.set(e.name, e);
    const newestSource = [...this.inputs].reverse().find(isSource) ?? this.inputs[this.inputs.length - 1]!;
    return {
      span: this.span,
      modules: orderModules(this.inputs, entities),
      entities,
      docs: newestSource.model.docs,
      lookupType: (name) => {
        const e = byName.get(name);
        return e && e.kind !== 'command' && e.kind !== 'event' && e.kind !== 'include' ? e : undefined;
      },
      lookupEntity: (name) => byName.get(name),
    };
  }
}

/** Whether `parent` (one release's type) holds `child` at some place. */
function holds(parent: QapiType | undefined, child: QapiType): boolean {
  if (parent === undefined) return false;
  if (parent.kind === 'object') {
    if (parent.base === child) return true;
    if (parent.members.some((m) => m.type === child)) return true;
    return parent.variants?.variants.some((v) => v.type === child) ?? false;
  }
  return false;
}

/**
 * Merges the models of a span's releases (any order; each a source schema
 * in its own release's language or a capture) into one model with
 * availability.
 */
export function mergeReleases(inputs: readonly ReleaseModel[]): SpannedModel {
  if (inputs.length > MAX_RELEASES) throw new SpanError(`a span of ${inputs.length} releases: at most ${MAX_RELEASES}`);
  const sorted = [...inputs].sort((a, b) => compareReleaseNames(a.release.name, b.release.name));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.release.name === sorted[i - 1]!.release.name) {
      throw new SpanError(`release ${sorted[i]!.release.name} is given twice (${sorted[i - 1]!.release.file} and ${sorted[i]!.release.file})`);
    }
  }
  return new Merger(sorted).merge();
}

