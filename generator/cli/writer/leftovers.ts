/**
 * What earlier runs left beside DIR, and what a run removes of it: a dead
 * run's staging folders, backups, links and lock files, and the sets of the
 * symlink mode DIR no longer links to once they have been replaced for
 * RETIRED_SET_GRACE_MS.  A killed run's half-done swap is finished first.
 */
import { lstatSync, realpathSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { alive, type Leftover, type Siblings } from './siblings.js';

/**
 * How long a set stays once DIR links to another: a reader that resolved
 * the link before it was replaced reads that whole set for this long.  A set
 * is removed by the first run after that (none is removed between runs).
 */
export const RETIRED_SET_GRACE_MS = 60_000;

/** Whether something (a folder, a file, a link, even a broken one) is at `path`. */
export function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real path of the folder a symbolic link DIR points to, or null when
 *  DIR is not a link (or a broken one). */
export function linkedSet(dir: string): string | null {
  if (!present(dir) || !lstatSync(dir).isSymbolicLink()) return null;
  try {
    return realpathSync(dir);
  } catch {
    return null;
  }
}

/** Marks a set as replaced now: the grace period starts.  (Its folder's
 *  modification time says when; nothing in it changes.) */
export function retire(set: string): void {
  const now = new Date();
  utimesSync(set, now, now);
}

const deadRun = (l: Leftover): boolean => l.pid === null || (l.pid !== process.pid && !alive(l.pid));

/** Whether a set DIR does not link to has been replaced long enough ago. */
function expired(set: string, now: number): boolean {
  try {
    return now - statSync(set).mtimeMs >= RETIRED_SET_GRACE_MS;
  } catch {
    return true;
  }
}

/** What a run would remove beside DIR now: the leftovers of dead runs, and
 *  the sets DIR does not link to whose grace period is over. */
export function removable(dir: string, siblings: Siblings, now = Date.now()): Leftover[] {
  const current = linkedSet(dir);
  return siblings.leftovers().filter((l) => {
    if (l.kind !== 'set') return deadRun(l);
    return realpathSync(l.path) !== current && expired(l.path, now);
  });
}

/** Finishes what a killed run left: DIR missing with its swap half done is
 *  given the new set (or, without it, the old one back); then removes what
 *  `removable` names.  Called with the lock held. */
export function recover(dir: string, siblings: Siblings): void {
  const dead = siblings.leftovers().filter(deadRun);
  const backup = dead.find((l) => l.kind === 'old');
  if (!present(dir) && backup) {
    // The backup exists only once the new set was complete: its staging
    // folder, or in the symlink mode the link to it.
    const next = dead.find((l) => (l.kind === 'stage' || l.kind === 'link') && l.pid === backup.pid);
    renameSync((next ?? backup).path, dir);
  }
  for (const l of removable(dir, siblings)) rmSync(l.path, { recursive: true, force: true });
}
