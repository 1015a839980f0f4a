/**
 * The availability walk: a span's merged model, seen at one of its
 * releases, against that release's own model.  From every command and
 * event, place by place (the arguments, each member, each case, each
 * alternate branch, the elements, the return value), a command, member,
 * enum value, case or branch must be listed as available in the release
 * exactly when the release has it, optional there exactly when the release
 * makes it optional; named types no command reaches are checked by name.
 * Independent of how the span stage pairs types: it only reads the
 * merged model and the annotation, as the emitters do.
 */
import { inRelease, memberTypeIn, resolveType, valueReleases, type CommandTable, type TypeRef } from '../../runtime/tables.js';
import { checkedAs, jsonKindOfType } from 'qapi-ts-runtime/type-rules';
import type { Command, Event, ObjectType, QapiType, SchemaModel } from '../../generator/model/types.js';
import { hasRelease } from '../../generator/span/releases.js';
import type { SpannedModel, TypeInReleases } from '../../generator/span/types.js';

export interface WalkCounts {
  commands: number;
  events: number;
  types: number;
  members: number;
  values: number;
  branches: number;
}

export interface WalkResult {
  readonly counts: WalkCounts;
  /** What disagrees, one line each (empty when the span is right). */
  readonly problems: string[];
}

const isEmpty = (t: QapiType | null): boolean => t === null || (t.kind === 'object' && t.role?.kind === 'empty-object');

/** The type of a group that holds release i. */
function typeAt(types: readonly TypeInReleases[], i: number): QapiType | null | undefined {
  return types.find((t) => hasRelease(t.in, i))?.type;
}

/** A release's types that define anything: not the object without
 *  members, nor QType where no alternate uses it. */
export function definitions(model: SchemaModel): QapiType[] {
  const alternates = model.entities.some((e) => e.kind === 'alternate');
  return model.entities.filter(
    (r): r is QapiType =>
      (r.kind === 'enum' || r.kind === 'object' || r.kind === 'alternate') && !isEmpty(r) && !(r.kind === 'enum' && r.role?.kind === 'qtype' && !alternates),
  );
}

/** The problems of one pair of types alone (a release's type with a type
 *  of the span). */
function walkOne(merged: SpannedModel, i: number, m: QapiType, r: QapiType): string[] {
  const empty: SchemaModel = { modules: [], entities: [], docs: [], lookupType: () => undefined, lookupEntity: () => undefined };
  return walkRelease(merged, i, empty, [m, r]).problems;
}

/** A number for each object, the same each time it is asked: keys for
 *  what a walk has seen. */
function identities(): (x: object) => number {
  const ids = new Map<object, number>();
  return (x) => {
    let n = ids.get(x);
    if (n === undefined) ids.set(x, (n = ids.size));
    return n;
  };
}

/** Walks the span at release `i` against `release`, that release's model
 *  (or, given `only`, one pair of types). */
export function walkRelease(merged: SpannedModel, i: number, release: SchemaModel, only?: readonly [QapiType, QapiType]): WalkResult {
  const span = merged.span;
  const counts: WalkCounts = { commands: 0, events: 0, types: 0, members: 0, values: 0, branches: 0 };
  const problems: string[] = [];
  const seen = new Set<string>();
  const id = identities();
  const visited = new Set<QapiType>();
  const name = span.releases[i]!.name;

  /** Names available at i against names the release has. */
  const sameNames = (what: string, at: string, ours: readonly string[], theirs: readonly string[]): void => {
    for (const n of ours) if (!theirs.includes(n)) problems.push(`${name} ${at}: ${what} '${n}' listed as available, but the release lacks it`);
    for (const n of theirs) if (!ours.includes(n)) problems.push(`${name} ${at}: the release has ${what} '${n}', not listed as available`);
  };

  const pair = (m: QapiType | null | undefined, r: QapiType | null, at: string): void => {
    if (m === undefined) {
      problems.push(`${name} ${at}: no type of the span for this release`);
      return;
    }
    // No arguments and the object without members are one on the wire.
    if (isEmpty(m) && isEmpty(r)) return;
    if (m === null || r === null) {
      problems.push(`${name} ${at}: ${m === null ? 'nothing' : m.name} in the span, ${r === null ? 'nothing' : r.name} in the release`);
      return;
    }
    const key = `${id(m)} ${id(r)}`;
    if (seen.has(key)) return;
    seen.add(key);
    visited.add(r);
    counts.types++;
    if (m.kind !== r.kind && !(isEmpty(m) && r.kind === 'object') && !(isEmpty(r) && m.kind === 'object')) {
      problems.push(`${name} ${at}: a ${m.kind} in the span, a ${r.kind} in the release`);
      return;
    }
    if (m.kind === 'builtin' && r.kind === 'builtin') {
      if (checkedAs(m.name) !== checkedAs(r.name)) problems.push(`${name} ${at}: ${m.name} in the span, ${r.name} in the release`);
      return;
    }
    if (m.kind === 'array' && r.kind === 'array') return pair(m.elementType, r.elementType, `${at}[]`);
    if (m.kind === 'enum' && r.kind === 'enum') {
      if (!hasRelease(span.entity(m), i)) problems.push(`${name} ${at}: enum ${m.name} not listed in this release`);
      const ours = m.members.filter((v) => hasRelease(span.value(v), i)).map((v) => v.name);
      counts.values += r.members.length;
      return sameNames('value', at, ours, r.members.map((v) => v.name));
    }
    if (m.kind === 'alternate' && r.kind === 'alternate') {
      const kind = (t: QapiType): string => jsonKindOfType(t) ?? 'value';
      const ours = m.variants.variants.filter((v) => hasRelease(span.variant(v).in, i));
      counts.branches += r.variants.variants.length;
      pair(m.variants.tagMember.type, r.variants.tagMember.type, `${at} (QType)`);
      sameNames('branch of kind', at, ours.map((v) => kind(typeAt(span.variant(v).types, i) ?? v.type)), r.variants.variants.map((v) => kind(v.type)));
      for (const v of ours) {
        const theirs = r.variants.variants.find((x) => kind(x.type) === kind(typeAt(span.variant(v).types, i) ?? v.type));
        if (theirs) pair(typeAt(span.variant(v).types, i), theirs.type, `${at}<${v.name}>`);
      }
      return;
    }
    if (m.kind === 'object' && r.kind === 'object') return objects(m, r, at);
  };

  const objects = (m: ObjectType, r: ObjectType, at: string): void => {
    // A base that stayed one is a type of its own; one the span folded
    // into the type is checked as its members.
    if (r.base) {
      if (m.base) pair(m.base, r.base, `${at}^`);
      else if (!visited.has(r.base)) {
        visited.add(r.base);
        // Checked as members of this type, below.
        counts.members += r.base.members.length;
      }
    }
    const ours = m.members.filter((x) => hasRelease(span.member(x).in, i));
    counts.members += r.members.length;
    sameNames('member', at, ours.map((x) => x.name), r.members.map((x) => x.name));
    for (const x of ours) {
      const theirs = r.members.find((y) => y.name === x.name);
      if (!theirs) continue;
      const optional = hasRelease(span.member(x).optionalIn, i);
      if (optional !== theirs.optional) {
        problems.push(`${name} ${at}.${x.name}: ${optional ? 'optional' : 'required'} in the span, ${theirs.optional ? 'optional' : 'required'} in the release`);
      }
      pair(typeAt(span.member(x).types, i), theirs.type, `${at}.${x.name}`);
    }
    const cases = (m.variants?.variants ?? []).filter((v) => hasRelease(span.variant(v).in, i));
    const theirCases = r.variants?.variants ?? [];
    counts.branches += theirCases.length;
    sameNames('case', at, cases.map((v) => v.name), theirCases.map((v) => v.name));
    for (const v of cases) {
      const theirs = theirCases.find((y) => y.name === v.name);
      if (theirs) pair(typeAt(span.variant(v).types, i), theirs.type, `${at}(${v.name})`);
    }
  };

  const roots = (kind: 'command' | 'event'): void => {
    const ours = merged.entities.filter((e): e is Command | Event => e.kind === kind);
    const theirs = release.entities.filter((e): e is Command | Event => e.kind === kind);
    sameNames(kind, '', ours.filter((e) => hasRelease(span.entity(e), i)).map((e) => e.name), theirs.map((e) => e.name));
    for (const r of theirs) {
      counts[kind === 'command' ? 'commands' : 'events']++;
      const m = ours.find((e) => e.name === r.name);
      if (!m || !hasRelease(span.entity(m), i)) continue;
      pair(m.argType ?? merged.lookupType('q_empty'), r.argType ?? release.lookupType('q_empty') ?? null, `${kind} ${r.name} arguments`);
      if (m.kind === 'command' && r.kind === 'command') {
        const returned = typeAt(span.returns(m), i);
        pair(returned === undefined ? undefined : returned, r.retType, `${kind} ${r.name} returns`);
      }
    }
  };

  if (only) {
    pair(only[0], only[1], `type ${only[1].name}`);
    return { counts, problems };
  }
  roots('command');
  roots('event');
  // Every named type of the release the walk did not reach, by its name
  // (what those reach is then reached too: a renamed enum of an unreached
  // union is checked through the union).
  const named = release.entities.filter(
    (r): r is QapiType => (r.kind === 'enum' || r.kind === 'object' || r.kind === 'alternate') && !((r.kind === 'object' || r.kind === 'enum') && r.implicit),
  );
  const unnamed: QapiType[] = [];
  for (const r of named) {
    if (visited.has(r)) continue;
    // Its name, or (taken by a type of the span that was another type in
    // this release) its name with a suffix: the span's naming rule.
    const candidates = [r.name, ...[2, 3, 4].map((k) => `${r.name}_${k}`)]
      .map((n) => merged.lookupType(n))
      .filter((m): m is QapiType => m !== undefined && hasRelease(span.entity(m), i));
    const agreeing = candidates.find((m) => {
      const trial = walkOne(merged, i, m, r);
      return trial.length === 0;
    });
    if (agreeing === undefined && candidates.length === 0) unnamed.push(r);
    else pair(agreeing ?? candidates[0]!, r, `type ${r.name}`);
  }
  for (const r of unnamed) if (!visited.has(r)) problems.push(`${name}: type ${r.name}, which no command reaches, has no type of that name in the span`);
  // Every definition of the release was checked, implicit types included.
  for (const r of definitions(release)) {
    if (!visited.has(r)) {
      problems.push(`${name}: type ${r.name} was never checked`);
    }
  }
  return { counts, problems };
}

/**
 * The same walk over the run-time tables of the span's bindings (what a
 * call is checked against before it is sent): at release i, a command,
 * member or enum value is present (and a member required) exactly when
 * the release has it (requires it).  Alternates' branches carry no
 * availability in the tables and are walked for their types only.
 */
export function walkTables(tables: { readonly commands: CommandTable }, i: number, releaseName: string, release: SchemaModel): WalkResult {
  const counts: WalkCounts = { commands: 0, events: 0, types: 0, members: 0, values: 0, branches: 0 };
  const problems: string[] = [];
  const seen = new Set<string>();
  const id = identities();
  const names = (what: string, at: string, ours: readonly string[], theirs: readonly string[]): void => {
    for (const n of ours) if (!theirs.includes(n)) problems.push(`${releaseName} ${at}: the tables have ${what} '${n}', the release lacks it`);
    for (const n of theirs) if (!ours.includes(n)) problems.push(`${releaseName} ${at}: the release has ${what} '${n}', the tables lack it`);
  };
  const pair = (ref: TypeRef | null, r: QapiType | null, at: string): void => {
    const d = ref === null ? null : resolveType(ref);
    const emptyD = d === null || (typeof d === 'object' && d.kind === 'object' && d.members.length === 0 && d.tag === undefined);
    if (emptyD && isEmpty(r)) return;
    if (d === null || r === null) {
      problems.push(`${releaseName} ${at}: ${d === null ? 'nothing' : 'a type'} in the tables, ${r === null ? 'nothing' : r.name} in the release`);
      return;
    }
    const key = `${typeof d === 'string' ? d : id(d)} ${id(r)}`;
    if (seen.has(key)) return;
    seen.add(key);
    counts.types++;
    if (typeof d === 'string') {
      if (r.kind !== 'builtin' || checkedAs(r.name) !== d) problems.push(`${releaseName} ${at}: ${d} in the tables, ${r.name} in the release`);
      return;
    }
    if (d.kind === 'array' && r.kind === 'array') return pair(d.element, r.elementType, `${at}[]`);
    if (d.kind === 'enum' && r.kind === 'enum') {
      counts.values += r.members.length;
      return names(
        'value',
        at,
        d.values.filter((v) => {
          const set = valueReleases(d, v);
          return set === undefined || inRelease(set, i);
        }),
        r.members.map((v) => v.name),
      );
    }
    if (d.kind === 'alternate' && r.kind === 'alternate') {
      counts.branches += r.variants.variants.length;
      return;
    }
    if (d.kind === 'object' && r.kind === 'object') {
      const present = d.members.filter((m) => m[3]?.in === undefined || inRelease(m[3].in, i));
      counts.members += r.members.length;
      names('member', at, present.map((m) => m[0]), r.members.map((m) => m.name));
      for (const m of present) {
        const theirs = r.members.find((x) => x.name === m[0]);
        if (!theirs) continue;
        const required = m[3]?.requiredIn !== undefined ? inRelease(m[3].requiredIn, i) : m[2] !== true;
        if (required === theirs.optional) problems.push(`${releaseName} ${at}.${m[0]}: ${required ? 'required' : 'optional'} in the tables, not in the release`);
        pair(memberTypeIn(m, i), theirs.type, `${at}.${m[0]}`);
      }
      const tag = d.tag === undefined ? undefined : d.members.find(([n]) => n === d.tag);
      const tagType = tag === undefined ? undefined : resolveType(memberTypeIn(tag, i));
      const valueIn = (v: string): boolean => {
        const set = typeof tagType === 'object' && tagType.kind === 'enum' ? valueReleases(tagType, v) : undefined;
        return set === undefined || inRelease(set, i);
      };
      const cases = (d.cases ?? []).filter(([v, , set]) => valueIn(v) && (set === undefined || inRelease(set, i)));
      counts.branches += r.variants?.variants.length ?? 0;
      names('case', at, cases.map(([v]) => v), (r.variants?.variants ?? []).map((v) => v.name));
      for (const [v, type] of cases) {
        const theirs = r.variants?.variants.find((x) => x.name === v);
        if (theirs) pair(type, theirs.type, `${at}(${v})`);
      }
      return;
    }
    problems.push(`${releaseName} ${at}: a ${d.kind} in the tables, a ${r.kind} in the release`);
  };
  const theirs = release.entities.filter((e): e is Command => e.kind === 'command');
  names(
    'command',
    '',
    tables.commands.filter((c) => c.releases === undefined || inRelease(c.releases, i)).map((c) => c.name),
    theirs.map((c) => c.name),
  );
  for (const r of theirs) {
    counts.commands++;
    const info = tables.commands.find((c) => c.name === r.name);
    if (!info || (info.releases !== undefined && !inRelease(info.releases, i))) continue;
    pair(info.args, r.argType ?? release.lookupType('q_empty') ?? null, `command ${r.name} arguments`);
    const returns = info.returnsByRelease?.find(([set]) => inRelease(set, i))?.[1] ?? (info.returnsByRelease ? null : info.returns);
    pair(returns === undefined ? null : returns, r.retType, `command ${r.name} returns`);
  }
  return { counts, problems };
}
