/**
 * Which types of the span's releases are the same type.
 *
 * Names are not enough: a capture's types are named after their first use,
 * and a type may be renamed between releases.  So, as compare.ts pairs the
 * types of two models, types are paired by *place*: walking from every
 * command and event, the types found at the same place (the arguments, a
 * member of that name, a union's case, an alternate's branch of that JSON
 * kind, a base, an array's elements) in several releases are one type of
 * the span.  Names come second: two source schemas' types of the same name
 * are one type too where the places do not tell them apart, and a type no
 * place reaches is linked by its name alone.
 *
 * A type of the span is an Identity: at most one type of each release (its
 * components).  A place whose types agree with an identity (no release
 * where both have a type and the types differ) joins it, adding what it
 * lacked; identities that a place shows to be one are united.  A place
 * that agrees with none makes an identity of its own, and this is what
 * happens when one release's single type corresponds to two in another:
 * the older type (say) is a component of both identities, each exact for
 * every release at the places it stands for.  The empty object never links
 * anything (every command without arguments has it).
 *
 * Built-in types are the same when they are checked the same (`int` and
 * `int64`); a capture's integer of unknown width takes the width a source
 * schema gives at the same place.  Arrays are the same when their elements
 * are.  Where the kinds differ (a `str` that became an enum), the place
 * has one type per group of releases.
 */
import { checkedAs, jsonKindOfType } from 'qapi-ts-runtime/type-rules';
import type { Command, Event, ObjectType, QapiType, SchemaModel } from '../model/types.js';
import { newestOf, single, type ReleaseSet, type SpanRelease } from './releases.js';

/** One release's model, as the span reads it. */
export interface ReleaseModel {
  readonly release: SpanRelease;
  readonly model: SchemaModel;
}

export type IdentityKind = 'enum' | 'object' | 'alternate';

/** A type of the span: its component in each release that has it. */
export class Identity {
  /** Set when united into another. */
  parent: Identity | null = null;
  readonly comps: (QapiType | undefined)[];

  constructor(
    readonly kind: IdentityKind,
    releases: number,
    /** Creation order: earlier identities are preferred. */
    readonly serial: number,
  ) {
    this.comps = new Array<QapiType | undefined>(releases).fill(undefined);
  }

  /** The releases with a component. */
  in: ReleaseSet = 0;

  /** The component of the newest release that has one. */
  get newest(): QapiType {
    return this.comps[newestOf(this.in)]!;
  }
}

/** A type of the span, where one is referred to. */
export type SpanRef =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'array'; readonly element: SpanRef }
  | { readonly kind: 'identity'; readonly id: Identity };

/** The type at a place for a group of releases. */
export interface PlaceGroup {
  readonly in: ReleaseSet;
  readonly ref: SpanRef;
}

/** A place below an identity, and its types. */
export interface Child {
  /** `.member`, `(case)`, `<jsonkind>` (an alternate's branch), `^` (the base). */
  readonly place: string;
  readonly groups: readonly PlaceGroup[];
}

/** A command or event of the span, with the types at its places. */
export interface SpanRoot {
  readonly kind: 'command' | 'event';
  readonly name: string;
  /** Its definition in each release that has it. */
  readonly comps: readonly (Command | Event | undefined)[];
  readonly in: ReleaseSet;
  /** The arguments (or data): an object, the empty object where a release
   *  has none. */
  readonly args: PlaceGroup[];
  /** What a command returns, in the releases where it returns something. */
  readonly returns: PlaceGroup[];
}

export interface Correspondence {
  readonly identities: readonly Identity[];
  readonly children: ReadonlyMap<Identity, readonly Child[]>;
  /** Where each identity stands below another (for the roles of implicit
   *  types): its parents and the places. */
  readonly parents: ReadonlyMap<Identity, readonly { readonly parent: Identity; readonly place: string }[]>;
  readonly roots: readonly SpanRoot[];
  /** The identity of the object without members. */
  readonly empty: Identity;
  /** The identities of each release's types. */
  identitiesOf(t: QapiType): readonly Identity[];
}

const isEmptyObject = (t: QapiType): boolean => t.kind === 'object' && t.role?.kind === 'empty-object';

/** Named types of a source schema are paired by name (the empty object is
 *  never paired: it would link unrelated commands). */
function pairedByName(t: QapiType): boolean {
  if (t.kind === 'enum') return t.role === null;
  return (t.kind === 'object' || t.kind === 'alternate') && !(t.kind === 'object' && t.implicit);
}

const UNKNOWN_WIDTH = 'int (any width)';

class Corresponder {
  private readonly identities: Identity[] = [];
  private readonly registered = new Map<QapiType, Identity[]>();
  private readonly n: number;
  readonly empty: Identity;
  private changed = false;
  /** Set for the last pass: resolving must find everything as it is. */
  private frozen = false;
  /** Each release type's number, for the keys of places. */
  private readonly numbers = new Map<QapiType, number>();
  /** Places already resolved since the last change, by their types. */
  private readonly resolved = new Map<string, PlaceGroup[]>();
  /** Counts changes. */
  private version = 0;

  constructor(private readonly inputs: readonly ReleaseModel[]) {
    this.n = inputs.length;
    this.empty = this.create('object');
    inputs.forEach((input, r) => {
      const empty = input.model.entities.find((e): e is ObjectType => e.kind === 'object' && isEmptyObject(e));
      if (empty === undefined) throw new Error(`release ${input.release.name}: a model without its empty object`);
      this.setComp(this.empty, r, empty);
    });
  }

  private create(kind: IdentityKind): Identity {
    this.change();
    const id = new Identity(kind, this.n, this.identities.length);
    this.identities.push(id);
    return id;
  }

  find(id: Identity): Identity {
    let root = id;
    while (root.parent !== null) root = root.parent;
    // Path compression: later finds are direct.
    for (let x = id; x.parent !== null && x.parent !== root; ) {
      const next: Identity = x.parent;
      x.parent = root;
      x = next;
    }
    return root;
  }

  /** Notes a change: places resolved before may resolve otherwise now. */
  private change(): void {
    if (this.frozen) throw new Error('the span changed while it was being read');
    this.changed = true;
    this.version++;
    this.resolved.clear();
  }

  private setComp(id: Identity, r: number, t: QapiType): void {
    this.change();
    id.comps[r] = t;
    id.in |= single(r);
    if (isEmptyObject(t)) return;
    let list = this.registered.get(t);
    if (!list) this.registered.set(t, (list = []));
    list.push(id);
  }

  /** Once the span is read, each type's identities, found once. */
  private readonly frozenIdentities = new Map<QapiType, Identity[]>();

  identitiesOf(t: QapiType): Identity[] {
    if (this.frozen) {
      let known = this.frozenIdentities.get(t);
      if (known === undefined) this.frozenIdentities.set(t, (known = this.findIdentities(t)));
      return known;
    }
    return this.findIdentities(t);
  }

  private findIdentities(t: QapiType): Identity[] {
    const out: Identity[] = [];
    for (const id of this.registered.get(t) ?? []) {
      const found = this.find(id);
      if (!out.includes(found)) out.push(found);
    }
    return out.sort((a, b) => a.serial - b.serial);
  }

  /** Whether an identity agrees with the types of a place. */
  private agrees(id: Identity, tuple: readonly (QapiType | undefined)[]): boolean {
    return tuple.every((t, r) => t === undefined || id.comps[r] === undefined || id.comps[r] === t);
  }

  /** The types of each name in the source schemas (and QType, the
   *  alternates' tag, which is the model's own in every release). */
  private sameNames(): [number, QapiType][][] {
    const byName = new Map<string, [number, QapiType][]>();
    for (let r = this.n - 1; r >= 0; r--) {
      const { release, model } = this.inputs[r]!;
      for (const e of model.entities) {
        if (e.kind !== 'enum' && e.kind !== 'object' && e.kind !== 'alternate') continue;
        const qtype = e.kind === 'enum' && e.role?.kind === 'qtype';
        if (!qtype && (release.origin !== 'schema' || !pairedByName(e))) continue;
        const key = `${e.kind} ${e.name}`;
        let list = byName.get(key);
        if (!list) byName.set(key, (list = []));
        list.push([r, e]);
      }
    }
    return [...byName.values()];
  }

  /**
   * Names link what places do not: a type no command or event reaches
   * gets an identity, and identities holding types of the same name are
   * united where they agree.  Places come first, so a name reused for
   * another type (1.3's BlockdevSnapshot) does not join what the places
   * tell apart.
   */
  private pairNames(names: readonly (readonly [number, QapiType])[][]): void {
    for (const list of names) {
      const ids: Identity[] = [];
      for (const [r, t] of list) {
        const found = this.identitiesOf(t);
        if (found.length === 0) {
          const fresh = this.create(t.kind as IdentityKind);
          this.setComp(fresh, r, t);
          ids.push(fresh);
        } else ids.push(...found);
      }
      const unique = [...new Set(ids.map((id) => this.find(id)))].sort((a, b) => a.serial - b.serial);
      for (let i = 1; i < unique.length; i++) {
        const later = this.find(unique[i]!);
        for (let j = 0; j < i; j++) {
          const earlier = this.find(unique[j]!);
          if (earlier !== later && this.agrees(earlier, later.comps)) {
            this.unite(earlier, later);
            break;
          }
        }
      }
    }
  }

  /** The identity of a place's types, all of one kind. */
  private identity(kind: IdentityKind, tuple: readonly (QapiType | undefined)[]): Identity {
    const linking = tuple.filter((t): t is QapiType => t !== undefined && !isEmptyObject(t));
    if (linking.length === 0) {
      this.join(this.empty, tuple);
      return this.empty;
    }
    const candidates: Identity[] = [];
    for (const t of linking) for (const id of this.identitiesOf(t)) if (id.kind === kind && !candidates.includes(id)) candidates.push(id);
    candidates.sort((a, b) => a.serial - b.serial);
    const chosen = candidates.find((c) => this.agrees(c, tuple));
    if (chosen === undefined) {
      const fresh = this.create(kind);
      this.join(fresh, tuple);
      return fresh;
    }
    this.join(chosen, tuple);
    // Identities this place shows to be the same type are one.
    for (const other of candidates) {
      const o = this.find(other);
      if (o !== chosen && this.agrees(chosen, o.comps)) this.unite(chosen, o);
    }
    return chosen;
  }

  private join(id: Identity, tuple: readonly (QapiType | undefined)[]): void {
    tuple.forEach((t, r) => {
      if (t !== undefined && id.comps[r] === undefined) this.setComp(id, r, t);
    });
  }

  private unite(into: Identity, other: Identity): void {
    this.change();
    other.parent = into;
    other.comps.forEach((t, r) => {
      if (t !== undefined && into.comps[r] === undefined) this.setComp(into, r, t);
    });
  }

  private key(tuple: readonly (QapiType | undefined)[]): string {
    let key = '';
    for (const t of tuple) {
      if (t === undefined) {
        key += '-,';
        continue;
      }
      let n = this.numbers.get(t);
      if (n === undefined) this.numbers.set(t, (n = this.numbers.size));
      key += `${n},`;
    }
    return key;
  }

  /** The types at a place, grouped by what they are. */
  place(tuple: readonly (QapiType | undefined)[]): PlaceGroup[] {
    const key = this.key(tuple);
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    const before = this.version;
    const groups = this.placeAnew(tuple);
    // Resolving may have changed the span (and emptied the cache): only a
    // result that still holds is kept.
    if (this.version === before) this.resolved.set(key, groups);
    return groups;
  }

  private placeAnew(tuple: readonly (QapiType | undefined)[]): PlaceGroup[] {
    const classes = new Map<string, number[]>();
    tuple.forEach((t, r) => {
      if (t === undefined) return;
      const key = t.kind === 'builtin' ? `builtin ${checkedAs(t.name)}` : t.kind;
      classes.set(key, [...(classes.get(key) ?? []), r]);
    });
    this.settleWidths(classes);
    const groups: PlaceGroup[] = [];
    for (const [key, releases] of classes) {
      const only = tuple.map((t, r) => (releases.includes(r) ? t : undefined));
      const set = releases.reduce((s, r) => s | single(r), 0);
      if (key.startsWith('builtin ')) {
        // The newest schema's name: a capture's integer of unknown width
        // takes the width of the schema it was settled with.
        const fromSchema = releases.filter((r) => this.inputs[r]!.release.origin === 'schema');
        const named = fromSchema.length > 0 ? Math.max(...fromSchema) : newestOf(set);
        groups.push({ in: set, ref: { kind: 'builtin', name: only[named]!.name } });
      } else if (key === 'array') {
        const elements = only.map((t) => (t?.kind === 'array' ? t.elementType : undefined));
        for (const g of this.place(elements)) groups.push({ in: g.in, ref: { kind: 'array', element: g.ref } });
      } else {
        groups.push({ in: set, ref: { kind: 'identity', id: this.identity(key as IdentityKind, only) } });
      }
    }
    // The newest first: what a backend that knows no span sees.
    return groups.sort((a, b) => newestOf(b.in) - newestOf(a.in));
  }

  /** A capture's integer of unknown width takes the width of the newest
   *  source schema's integer at the same place, if any. */
  private settleWidths(classes: Map<string, number[]>): void {
    const unknown = classes.get(`builtin ${UNKNOWN_WIDTH}`);
    if (unknown === undefined) return;
    let best: { key: string; newest: number } | null = null;
    for (const [key, releases] of classes) {
      if (!key.startsWith('builtin ') || key === `builtin ${UNKNOWN_WIDTH}` || !isIntegerKey(key)) continue;
      const newest = Math.max(...releases);
      if (best === null || newest > best.newest) best = { key, newest };
    }
    if (best === null) return;
    classes.set(best.key, [...classes.get(best.key)!, ...unknown].sort((a, b) => a - b));
    classes.delete(`builtin ${UNKNOWN_WIDTH}`);
  }

  /** The places below each identity and their types, by release: they
   *  change only when its components do (`in` tells). */
  private readonly placesOf = new Map<Identity, { readonly set: ReleaseSet; readonly places: readonly { place: string; tuple: (QapiType | undefined)[] }[] }>();

  private places(id: Identity): readonly { place: string; tuple: (QapiType | undefined)[] }[] {
    const known = this.placesOf.get(id);
    if (known !== undefined && known.set === id.in) return known.places;
    const out: { place: string; tuple: (QapiType | undefined)[] }[] = [];
    const comps = id.comps;
    const at = <T>(pick: (t: QapiType) => T | undefined): (T | undefined)[] => comps.map((t) => (t === undefined ? undefined : pick(t)));
    if (id.kind === 'object') {
      const objects = at((t) => (t.kind === 'object' ? t : undefined));
      const members = objects.map((o) => (o === undefined ? undefined : byName(o.members)));
      for (const name of orderedNames(objects.map((o) => o?.members.map((m) => m.name) ?? []))) {
        out.push({ place: `.${name}`, tuple: members.map((m) => m?.get(name)?.type) });
      }
      const bases = objects.map((o) => o?.base ?? undefined);
      if (bases.some((b) => b !== undefined)) out.push({ place: '^', tuple: bases });
      const cases = objects.map((o) => (o?.variants ? byName(o.variants.variants) : undefined));
      for (const name of orderedNames(objects.map((o) => o?.variants?.variants.map((v) => v.name) ?? []))) {
        out.push({ place: `(${name})`, tuple: cases.map((c) => c?.get(name)?.type) });
      }
    } else if (id.kind === 'alternate') {
      const alternates = at((t) => (t.kind === 'alternate' ? t : undefined));
      for (const kind of orderedNames(alternates.map((a) => a?.variants.variants.map((v) => branchKind(v.type)) ?? []))) {
        out.push({ place: `<${kind}>`, tuple: alternates.map((a) => a?.variants.variants.find((v) => branchKind(v.type) === kind)?.type) });
      }
    }
    this.placesOf.set(id, { set: id.in, places: out });
    return out;
  }

  /** The places below an identity, resolved. */
  children(id: Identity): Child[] {
    return this.places(id).map(({ place, tuple }) => ({ place, groups: this.place(tuple) }));
  }

  root(kind: 'command' | 'event', name: string): SpanRoot {
    const comps = this.inputs.map(({ model }) => {
      const e = model.lookupEntity(name);
      return e?.kind === kind ? (e as Command | Event) : undefined;
    });
    const args = this.place(comps.map((c, r) => (c === undefined ? undefined : (c.argType ?? this.empty.comps[r]))));
    const returns = kind === 'command' ? this.place(comps.map((c) => (c?.kind === 'command' ? (c.retType ?? undefined) : undefined))) : [];
    let set = 0;
    comps.forEach((c, r) => {
      if (c !== undefined) set |= single(r);
    });
    return { kind, name, comps, in: set, args, returns };
  }

  rootNames(): { kind: 'command' | 'event'; name: string }[] {
    const seen = new Set<string>();
    const out: { kind: 'command' | 'event'; name: string }[] = [];
    for (let r = this.n - 1; r >= 0; r--) {
      for (const e of this.inputs[r]!.model.entities) {
        if (e.kind !== 'command' && e.kind !== 'event') continue;
        const key = `${e.kind} ${e.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ kind: e.kind, name: e.name });
      }
    }
    return out;
  }

  /** Walks every place until nothing changes, then reads the result. */
  run(): Correspondence {
    const names = this.rootNames();
    const sameNames = this.sameNames();
    // A pass that changes nothing has read the span as it is.
    let roots: SpanRoot[];
    const children = new Map<Identity, Child[]>();
    do {
      this.changed = false;
      children.clear();
      roots = names.map(({ kind, name }) => this.root(kind, name));
      for (let i = 0; i < this.identities.length; i++) {
        const id = this.identities[i]!;
        if (id.parent === null) children.set(id, this.children(id));
      }
      this.pairNames(sameNames);
    } while (this.changed);
    this.frozen = true;
    const live = this.identities.filter((id) => id.parent === null);
    const parents = new Map<Identity, { parent: Identity; place: string }[]>();
    for (const id of live) {
      const list = children.get(id)!;
      for (const c of list) {
        for (const g of c.groups) {
          const child = identityOf(g.ref);
          if (child === null) continue;
          let ps = parents.get(child);
          if (!ps) parents.set(child, (ps = []));
          ps.push({ parent: id, place: c.place });
        }
      }
    }
    return { identities: live, children, parents, roots, empty: this.empty, identitiesOf: (t) => this.identitiesOf(t) };
  }
}

const named = new WeakMap<readonly { readonly name: string }[], ReadonlyMap<string, { readonly name: string }>>();

/** A list by name (built once per list). */
export function byName<T extends { readonly name: string }>(list: readonly T[]): ReadonlyMap<string, T> {
  let map = named.get(list);
  if (map === undefined) named.set(list, (map = new Map(list.map((x) => [x.name, x]))));
  return map as ReadonlyMap<string, T>;
}

/** What tells an alternate's branches apart: the JSON kind of its values. */
export function branchKind(t: QapiType): string {
  return jsonKindOfType(t) ?? 'value';
}

/** The identity a reference names, through arrays; null for a built-in. */
export function identityOf(ref: SpanRef): Identity | null {
  if (ref.kind === 'identity') return ref.id;
  return ref.kind === 'array' ? identityOf(ref.element) : null;
}

function isIntegerKey(key: string): boolean {
  const name = key.slice('builtin '.length);
  return /^u?int(8|16|32|64)?$|^size$/.test(name);
}

/**
 * Names from several releases' lists, in one order: the newest release's
 * order, each older release's names that it lacks placed right after their
 * predecessor there (in linear time: the lists may be a whole schema).
 */
export function orderedNames(lists: readonly (readonly string[])[]): string[] {
  // Most lists agree (or are empty): their order is the order.
  let first: readonly string[] | undefined;
  let agree = true;
  for (let r = lists.length - 1; r >= 0 && agree; r--) {
    const list = lists[r]!;
    if (list.length === 0) continue;
    if (first === undefined) first = list;
    else agree = list === first || (list.length === first.length && list.every((n, i) => n === first![i]));
  }
  if (agree) return first === undefined ? [] : [...first];
  const head = '';
  const next = new Map<string, string | undefined>([[head, undefined]]);
  for (let r = lists.length - 1; r >= 0; r--) {
    let previous = head;
    for (const name of lists[r]!) {
      const key = `=${name}`;
      if (!next.has(key)) {
        next.set(key, next.get(previous));
        next.set(previous, key);
      }
      previous = key;
    }
  }
  const out: string[] = [];
  for (let k = next.get(head); k !== undefined; k = next.get(k)) out.push(k.slice(1));
  return out;
}

export function correspond(inputs: readonly ReleaseModel[]): Correspondence {
  if (inputs.length === 0) throw new Error('a span of no release');
  return new Corresponder(inputs).run();
}
