/**
 * A model that spans releases: one SchemaModel holding every command,
 * event, type, member, enum value, branch and feature that any of the
 * span's releases has, once, and beside it the span annotation saying
 * which releases have each.  Backends that know nothing of spans read the
 * model as it is (its members are optional wherever some release may lack
 * them, its types those of the newest release); the emitters consult the
 * annotation for exact availability.
 */
import type { Command, EnumMember, Event, Feature, Member, QapiType, SchemaModel, Variant } from '../model/types.js';
import type { ReleaseSet, SpanRelease } from './releases.js';

/** The type at a place for some releases of the span; null where there
 *  is nothing (a command that returns nothing there). */
export interface TypeInReleases {
  readonly in: ReleaseSet;
  readonly type: QapiType | null;
}

/** What the span says about a member of an object type. */
export interface MemberSpan {
  /** The releases having it (within those of the type declaring it). */
  readonly in: ReleaseSet;
  /** Those of them where it is optional. */
  readonly optionalIn: ReleaseSet;
  /** Its type, per release: one entry when it is the same in all. */
  readonly types: readonly TypeInReleases[];
}

/** What the span says about a union's case or an alternate's branch. */
export interface VariantSpan {
  readonly in: ReleaseSet;
  readonly types: readonly TypeInReleases[];
}

export interface Span {
  /** Oldest first: bit i of every ReleaseSet is `releases[i]`. */
  readonly releases: readonly SpanRelease[];
  /** Every release of the span. */
  readonly all: ReleaseSet;
  /** The releases having a command, event or type (a type: those where
   *  some place of the span holds it). */
  entity(e: Command | Event | QapiType): ReleaseSet;
  member(m: Member): MemberSpan;
  value(v: EnumMember): ReleaseSet;
  variant(v: Variant): VariantSpan;
  /** The releases where whatever carries the feature has it. */
  feature(f: Feature): ReleaseSet;
  /** What a command returns, per release of the command. */
  returns(c: Command): readonly TypeInReleases[];
}

/** A model merged from several releases, with its span. */
export interface SpannedModel extends SchemaModel {
  readonly span: Span;
}

/** The span of a merged model; undefined for the model of one schema. */
export function spanOf(model: SchemaModel): Span | undefined {
  return 'span' in model ? (model as SpannedModel).span : undefined;
}
