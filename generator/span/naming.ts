/**
 * The names of a span's merged types.  A merged type is named after the
 * newest release whose source schema names it; failing that, after the
 * newest capture's name; when that name is already another merged type's,
 * after an older release's name, else with a `_2` suffix.  A type the
 * newest release makes itself (a command's inline arguments, a union's
 * inline base) is implicit, and named after the newest release's name for
 * it once every named type has its name.
 */
import { EMPTY_OBJECT } from '../model/builder.js';
import type { QapiType } from '../model/types.js';
import type { Correspondence, Identity, ReleaseModel } from './correspond.js';
import { newestOf } from './releases.js';

/** Whether a release's model was read from a source schema (not a capture). */
export const isSource = (input: ReleaseModel): boolean => input.release.origin === 'schema';

/** Whether one release's type is one its model made itself. */
export function isImplicitType(t: QapiType): boolean {
  return (t.kind === 'object' || t.kind === 'enum') && t.implicit;
}

/** Whether the merged type is one the model makes itself: the newest
 *  release makes it so. */
export function isImplicitIdentity(c: Correspondence, id: Identity): boolean {
  return id === c.empty || isImplicitType(id.newest);
}

/**
 * Names every merged type of `c`, the correspondence of `inputs` (oldest
 * release first).  A named type's candidates are its components' names,
 * source schemas' first, newest first; names are handed out newest release
 * first, so a type keeps the name its newest release gives it over a type
 * that has it from an older release only.
 */
export function nameMergedTypes(c: Correspondence, inputs: readonly ReleaseModel[]): Map<Identity, string> {
  const names = new Map<Identity, string>();
  const taken = new Set<string>();
  const claims: { id: Identity; name: string; release: number; rank: number; weight: number }[] = [];
  const implicit: Identity[] = [];
  for (const id of c.identities) {
    if (isImplicitIdentity(c, id)) {
      implicit.push(id);
      continue;
    }
    let rank = 0;
    for (const source of [true, false]) {
      for (let r = inputs.length - 1; r >= 0; r--) {
        const t = id.comps[r];
        if (t === undefined || isSource(inputs[r]!) !== source || isImplicitType(t)) continue;
        // How many of its components carry the name: a type named so in
        // every release keeps it over one that was something else once.
        const weight = id.comps.filter((comp) => comp?.name === t.name).length;
        claims.push({ id, name: t.name, release: source ? r + inputs.length : r, rank: rank++, weight });
      }
    }
  }
  claims.sort((a, b) => b.release - a.release || a.rank - b.rank || b.weight - a.weight || a.id.serial - b.id.serial);
  for (const claim of claims) {
    if (names.has(claim.id) || taken.has(claim.name)) continue;
    taken.add(claim.name);
    names.set(claim.id, claim.name);
  }
  const byNewest = (a: Identity, b: Identity): number => newestOf(b.in) - newestOf(a.in) || a.serial - b.serial;
  for (const id of c.identities.filter((x) => !isImplicitIdentity(c, x) && !names.has(x)).sort(byNewest)) {
    const first = claims.find((claim) => claim.id === id)?.name ?? id.newest.name;
    names.set(id, allocate([first], taken));
  }
  for (const id of implicit.sort(byNewest)) names.set(id, allocate([id === c.empty ? EMPTY_OBJECT : id.newest.name], taken));
  return names;
}

/** The first candidate not taken, else the first with a suffix. */
function allocate(candidates: readonly string[], taken: Set<string>): string {
  let name = candidates.find((candidate) => !taken.has(candidate));
  for (let i = 2; name === undefined; i++) if (!taken.has(`${candidates[0]}_${i}`)) name = `${candidates[0]}_${i}`;
  taken.add(name);
  return name;
}
