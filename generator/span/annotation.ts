/**
 * The availability the span stage records for each merged part (which
 * releases have an entity, member, enum value, branch or feature; a
 * command's return type by release), read by every later stage through
 * the Span interface (types.ts).  Asking about a part the merge did not
 * record is an error: nothing falls back to "every release".
 */
import type { Command, EnumMember, Event, Feature, Member, QapiType, Variant } from '../model/types.js';
import type { ReleaseSet } from './releases.js';
import type { MemberSpan, Span, TypeInReleases, VariantSpan } from './types.js';

/** What the merge records about each merged part, read through Span. */
export class Annotation implements Span {
  readonly entities = new Map<object, ReleaseSet>();
  readonly members = new Map<Member, MemberSpan>();
  readonly values = new Map<EnumMember, ReleaseSet>();
  readonly variants = new Map<Variant, VariantSpan>();
  readonly features = new Map<Feature, ReleaseSet>();
  readonly returnTypes = new Map<Command, readonly TypeInReleases[]>();

  constructor(
    readonly releases: Span['releases'],
    readonly all: ReleaseSet,
  ) {}

  private known<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
    const found = map.get(key);
    if (found === undefined) throw new Error(`the span knows no ${what}`);
    return found;
  }

  entity(e: Command | Event | QapiType): ReleaseSet {
    // Built-in types and arrays of them are in every release.
    return this.entities.get(e) ?? (e.kind === 'builtin' || e.kind === 'array' ? this.all : this.known(this.entities, e, `entity '${e.name}'`));
  }
  member(m: Member): MemberSpan {
    return this.known(this.members, m, `member '${m.name}'`);
  }
  value(v: EnumMember): ReleaseSet {
    return this.known(this.values, v, `enum value '${v.name}'`);
  }
  variant(v: Variant): VariantSpan {
    return this.known(this.variants, v, `branch '${v.name}'`);
  }
  feature(f: Feature): ReleaseSet {
    return this.known(this.features, f, `feature '${f.name}'`);
  }
  returns(c: Command): readonly TypeInReleases[] {
    return this.known(this.returnTypes, c, `command '${c.name}'`);
  }
}
