/**
 * How a model that spans releases is declared: which types vary between
 * the releases (and so take the release as a type parameter `R`), which of
 * them must be type aliases rather than interfaces, and how their members,
 * values and branches group by the releases that have them.
 *
 * A type takes `R` when its own parts vary (a member some release of the
 * type lacks, makes optional or types otherwise; an enum value, a case or
 * a branch some release lacks) or when a type it refers to takes `R`: so
 * `R` reaches every type whose shape a release decides, and no other.  A
 * struct whose own members vary (or whose base is such an alias) is a type
 * alias, an intersection of its always-present members and one
 * `ReleaseMembers` group per set of releases; one that only passes `R` on
 * stays an interface.  Types the releases agree on are emitted once, as in
 * bindings of one schema.
 */
import { builtinType, tsKeywords, type Int64Mode } from 'qapi-ts-runtime/type-rules';
import type { AlternateType, Command, EnumMember, EnumType, Event, Member, ObjectType, QapiType, Variant } from '../../model/types.js';
import type { Filter } from '../../select/filter.js';
import { isSubset, type ReleaseSet } from '../../span/releases.js';
import type { Span, TypeInReleases } from '../../span/types.js';

/** A group of members present in `in` and required in `required`. */
export interface MemberGroup {
  readonly in: ReleaseSet;
  readonly required: ReleaseSet;
  readonly members: readonly Member[];
}

/** An object's kept members: those every release of it has as written,
 *  and the groups of the others. */
export interface MemberLayout {
  readonly always: readonly Member[];
  readonly groups: readonly MemberGroup[];
}

/** Items grouped by the releases that have them: `in` is the type's own
 *  releases for the items all of them have. */
export interface ReleaseGroup<T> {
  readonly in: ReleaseSet;
  readonly items: readonly T[];
}

export class SpanShapes {
  private readonly generic = new Set<QapiType>();
  private readonly aliases = new Set<ObjectType>();

  constructor(
    readonly span: Span,
    private readonly filter: Filter,
    private readonly int64: Int64Mode,
    kept: readonly QapiType[],
  ) {
    for (const t of kept) if (this.varies(t)) this.generic.add(t);
    // Whatever refers to a type that takes R takes it too.
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of kept) {
        if (this.generic.has(t)) continue;
        if (this.references(t).some((r) => this.isGeneric(r))) {
          this.generic.add(t);
          changed = true;
        }
      }
    }
    // A struct varying itself, or built on such a struct, is an alias.
    const isAliasStruct = (t: ObjectType): boolean =>
      this.aliases.has(t) || (t.variants === null && (this.ownPartsVary(t) || (t.base !== null && isAliasStruct(t.base))));
    for (const t of kept) if (t.kind === 'object' && isAliasStruct(t)) this.aliases.add(t);
  }

  /** The releases of the span having a type (or command, event). */
  releasesOf(t: QapiType | Command | Event): ReleaseSet {
    return this.span.entity(t);
  }

  /** Whether a type takes the release parameter. */
  isGeneric(t: QapiType): boolean {
    return t.kind === 'array' ? this.isGeneric(t.elementType) : this.generic.has(t);
  }

  /** Whether a struct is declared as a type alias (an intersection). */
  isAlias(t: ObjectType): boolean {
    return this.aliases.has(t);
  }

  private varies(t: QapiType): boolean {
    switch (t.kind) {
      case 'enum':
        return this.valueGroups(t).some((g) => g.in !== this.releasesOf(t));
      case 'object':
        return this.ownPartsVary(t) || (t.variants !== null && this.variantsVary(t));
      case 'alternate':
        return t.variants.variants.some((v) => this.filter.keeps(v) && (!this.covers(this.span.variant(v).in, t) || this.distinctTypes(this.span.variant(v).types).length > 1));
      default:
        return false;
    }
  }

  /** Whether a set holds every release of a type. */
  private covers(set: ReleaseSet, t: QapiType): boolean {
    return isSubset(this.releasesOf(t), set);
  }

  /** Whether an object's own members differ between its releases. */
  private ownPartsVary(t: ObjectType): boolean {
    const layout = this.memberLayout(t, t.localMembers);
    return layout.groups.length > 0 || layout.always.some((m) => this.distinctTypes(this.span.member(m).types).length > 1);
  }

  private variantsVary(t: ObjectType): boolean {
    const variants = t.variants;
    if (variants === null) return false;
    const within = this.releasesOf(t);
    const tag = variants.tagMember.type;
    if (tag.kind === 'enum' && tag.members.some((v) => this.filter.keeps(v) && !isSubset(within, this.span.value(v)))) return true;
    return variants.variants.some((v) => this.filter.keeps(v) && this.distinctTypes(this.span.variant(v).types).length > 1);
  }

  /** The types a type's kept parts refer to, in every release. */
  private references(t: QapiType): QapiType[] {
    const out: QapiType[] = [];
    const types = (list: readonly TypeInReleases[]): void => {
      for (const x of list) if (x.type) out.push(x.type);
    };
    if (t.kind === 'array') out.push(t.elementType);
    else if (t.kind === 'object') {
      if (t.base) out.push(t.base);
      for (const m of t.localMembers) if (this.filter.keeps(m)) types(this.span.member(m).types);
      if (t.variants) {
        out.push(t.variants.tagMember.type);
        for (const v of t.variants.variants) if (this.filter.keeps(v)) types(this.span.variant(v).types);
      }
    } else if (t.kind === 'alternate') {
      for (const v of t.variants.variants) if (this.filter.keeps(v)) types(this.span.variant(v).types);
    }
    return out;
  }

  /**
   * The types at a place, one per TypeScript type: built-ins that are the
   * same TypeScript type (`int` and `uint64`) are one, their releases
   * joined.  Null (a command that returns nothing) stays apart.
   */
  distinctTypes(list: readonly TypeInReleases[]): TypeInReleases[] {
    const out: { in: ReleaseSet; type: QapiType | null; key: string }[] = [];
    for (const x of list) {
      const key = this.tsKey(x.type);
      const same = out.find((o) => o.key === key);
      if (same) same.in |= x.in;
      else out.push({ in: x.in, type: x.type, key });
    }
    return out.map(({ in: set, type }) => ({ in: set, type }));
  }

  private tsKey(t: QapiType | null): string {
    if (t === null) return 'void';
    if (t.kind === 'builtin') return `builtin ${tsKeywords(builtinType(t.name), this.int64).join('|')}`;
    if (t.kind === 'array') return `array ${this.tsKey(t.elementType)}`;
    return `type ${t.name}`;
  }

  /**
   * An object's members as declared: as written where every release of the
   * object has them alike, else grouped by the releases having them and
   * requiring them (within the object's own releases).
   */
  memberLayout(t: ObjectType, members: readonly Member[]): MemberLayout {
    const within = this.releasesOf(t);
    const always: Member[] = [];
    const groups: { in: ReleaseSet; required: ReleaseSet; members: Member[] }[] = [];
    for (const m of members) {
      if (!this.filter.keeps(m)) continue;
      const s = this.span.member(m);
      const present = s.in & within;
      const required = present & ~s.optionalIn;
      if (present === within && (required === present || required === 0)) {
        always.push(m);
        continue;
      }
      const group = groups.find((g) => g.in === present && g.required === required);
      if (group) group.members.push(m);
      else groups.push({ in: present, required, members: [m] });
    }
    return { always, groups };
  }

  /** Whether a member written as always present is optional. */
  alwaysOptional(t: ObjectType, m: Member): boolean {
    const s = this.span.member(m);
    return (s.in & this.releasesOf(t) & ~s.optionalIn) === 0;
  }

  /** An enum's kept values grouped by the releases having them. */
  valueGroups(t: EnumType): ReleaseGroup<EnumMember>[] {
    const within = this.releasesOf(t);
    return this.grouped(
      t.members.filter((v) => this.filter.keeps(v)),
      (v) => this.span.value(v) & within,
    );
  }

  /** An alternate's kept branches grouped likewise. */
  branchGroups(t: AlternateType): ReleaseGroup<Variant>[] {
    const within = this.releasesOf(t);
    return this.grouped(
      t.variants.variants.filter((v) => this.filter.keeps(v)),
      (v) => this.span.variant(v).in & within,
    );
  }

  private grouped<T>(items: readonly T[], setOf: (x: T) => ReleaseSet): ReleaseGroup<T>[] {
    const groups: { in: ReleaseSet; items: T[] }[] = [];
    for (const x of items) {
      const set = setOf(x);
      const group = groups.find((g) => g.in === set);
      if (group) group.items.push(x);
      else groups.push({ in: set, items: [x] });
    }
    return groups;
  }
}
