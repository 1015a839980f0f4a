/**
 * The releases of a span, and sets of them.
 *
 * A span's releases are QEMU versions (`X.Y`), oldest first; a set of them
 * is a bit mask over their positions (bit 0 the oldest), which is what the
 * span annotation stores for every command, type, member, value, branch and
 * feature, and what the run-time descriptors carry.  Words for a set (the
 * TSDoc's "in QEMU 8.2 and later") are made here, once, from the set and
 * the releases it is counted within.
 */

/** One release of a span. */
export interface SpanRelease {
  /** The QEMU version, `X.Y` (`1.3` is the 2012 dialect). */
  readonly name: string;
  /** Read from a source schema (in that release's language) or from a
   *  captured `query-qmp-schema` reply. */
  readonly origin: 'schema' | 'introspection';
  /** The file it was read from, as given. */
  readonly file: string;
}

/** A set of a span's releases: bit i stands for `releases[i]`. */
export type ReleaseSet = number;

/** The most releases a span may have: sets stay small integers. */
export const MAX_RELEASES = 30;

/** `X.Y` as two numbers; null when the text is no version. */
export function versionNumbers(name: string): readonly [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(name);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Orders release names as versions (8.2 before 10.0). */
export function compareReleaseNames(a: string, b: string): number {
  const [x, y] = [versionNumbers(a), versionNumbers(b)];
  if (x === null || y === null) throw new Error(`'${x === null ? a : b}' is no release name`);
  return x[0] - y[0] || x[1] - y[1];
}

/** The set of every release of a span of `count`. */
export function allReleases(count: number): ReleaseSet {
  return count >= 31 ? -1 >>> 0 : (1 << count) - 1;
}

export function single(index: number): ReleaseSet {
  return 1 << index;
}

export function hasRelease(set: ReleaseSet, index: number): boolean {
  return (set & (1 << index)) !== 0;
}

/** The positions in a set, oldest first. */
export function indicesOf(set: ReleaseSet): number[] {
  const out: number[] = [];
  for (let i = 0; set >>> i !== 0; i++) if (hasRelease(set, i)) out.push(i);
  return out;
}

/** Whether every release of `a` is in `b`. */
export function isSubset(a: ReleaseSet, b: ReleaseSet): boolean {
  return (a & ~b) === 0;
}

/** The newest release of a non-empty set. */
export function newestOf(set: ReleaseSet): number {
  if (set === 0) throw new Error('the newest release of no release');
  return 31 - Math.clz32(set);
}

export function oldestOf(set: ReleaseSet): number {
  if (set === 0) throw new Error('the oldest release of no release');
  return 31 - Math.clz32(set & -set);
}

/** `a, b and c`. */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A set in words, counted within `within` (the releases where the thing
 * that holds it exists): null when it is all of them.  A run of releases
 * reaching the newest is "in QEMU 8.2 and later"; one from the oldest is
 * "removed in QEMU 10.0"; one in between "in QEMU 8.2 to 9.2, removed in
 * QEMU 10.0"; anything else lists its releases.
 */
export function presenceWords(set: ReleaseSet, within: ReleaseSet, names: readonly string[]): string | null {
  const inside = set & within;
  if (inside === within) return null;
  if (inside === 0) return 'in none of the releases these bindings span';
  const positions = indicesOf(within);
  const present = positions.map((i) => hasRelease(inside, i));
  const first = present.indexOf(true);
  const last = present.lastIndexOf(true);
  const run = present.slice(first, last + 1).every((p) => p);
  const name = (k: number): string => names[positions[k]!]!;
  if (!run) return `only in QEMU ${listWords(positions.filter((i) => hasRelease(inside, i)).map((i) => names[i]!))}`;
  if (last === positions.length - 1) return `in QEMU ${name(first)} and later`;
  if (first === 0) return `removed in QEMU ${name(last + 1)}`;
  return `in QEMU ${first === last ? name(first) : `${name(first)} to ${name(last)}`}, removed in QEMU ${name(last + 1)}`;
}

/**
 * When a set holds, within `within`, as a phrase after "optional" or a
 * type: "before QEMU 9.1" (a run from the oldest), "in QEMU 7.2 and later"
 * (a run to the newest), else "in QEMU 7.2, 9.2 and 10.2".
 */
export function whenWords(set: ReleaseSet, within: ReleaseSet, names: readonly string[]): string {
  const positions = indicesOf(within);
  const present = positions.map((i) => hasRelease(set, i));
  const first = present.indexOf(true);
  const last = present.lastIndexOf(true);
  const run = first >= 0 && present.slice(first, last + 1).every((p) => p);
  if (run && first === 0 && last < positions.length - 1) return `before QEMU ${names[positions[last + 1]!]}`;
  if (run && last === positions.length - 1) return `in QEMU ${names[positions[first]!]} and later`;
  return `in QEMU ${listWords(positions.filter((i) => hasRelease(set, i)).map((i) => names[i]!))}`;
}
