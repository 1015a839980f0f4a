/**
 * Writing generated files into a directory DIR: compare with what DIR
 * holds, and replace DIR as a whole.
 *
 * The default mode: the new DIR is built beside it in a staging folder
 * (`.DIR.qapi-ts-stage-PID-…`, staging.ts).  Then two renames swap it in:
 * DIR → backup (`.DIR.qapi-ts-old-PID-…`), staging → DIR; the backup is
 * removed.  A failed run leaves DIR untouched and nothing beside it.  A run
 * killed at any point leaves DIR holding the old set or the new one, except
 * for the instant between the two renames, when DIR does not exist and
 * both sets are complete beside it; the next run first finishes such a swap
 * and removes what dead runs left behind (leftovers.ts).  Runs writing the
 * same DIR at once take turns (a lock file, `.DIR.qapi-ts.lock`, naming its
 * holder's pid: siblings.ts).
 *
 * With `symlink`, DIR is a symbolic link instead, and that instant is gone:
 * each new set is built in a folder of its own beside DIR
 * (`.DIR.qapi-ts-set-PID-…`), a new link to it is made aside
 * (`.DIR.qapi-ts-link-PID`) and renamed over DIR, which replaces the link in
 * one step.  The previous set stays RETIRED_SET_GRACE_MS, so a reader that
 * resolved the link before reads that whole set; a later run removes it.
 * (Only turning an existing folder DIR into a link takes the two renames
 * above, once.)
 *
 * A DIR no rename can move (a mount point) is written in place, file by
 * file, each file renamed into place (in-place.ts), and the run says so.
 * docs/guarantees.md says what a reader can rely on in each mode.
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, symlinkSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { cannotMove, isMountPoint, writeInPlace } from './in-place.js';
import { linkedSet, present, recover, removable, retire } from './leftovers.js';
import { lock, Siblings } from './siblings.js';
import { differencesIn, stage, type Difference, type OwnsFile } from './staging.js';

export type { Difference, OwnsFile } from './staging.js';

/** An output directory that cannot be read or written: a file where DIR
 *  should be, a parent that is not a folder, no permission, a full disk.
 *  The message says which path and why. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Runs `body` with DIR's file-system errors turned into OutputErrors. */
function onOutput<T>(dir: string, body: () => T): T {
  try {
    if (present(dir) && statOrNull(dir)?.isDirectory() === false) throw new OutputError(`${dir}: exists and is not a directory`);
    return body();
  } catch (e) {
    if (e instanceof OutputError || typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new OutputError(`cannot write ${dir}: ${(e as Error).message}`);
  }
}

/** What `path` leads to (following links), or null if nothing does. */
function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** How DIR differs from the files generation would write. */
export function compareOutput(dir: string, files: readonly GeneratedFile[], owns: OwnsFile): Difference[] {
  return onOutput(dir, () => differencesIn(dir, files, owns));
}

/**
 * A point where a test can stop the process (QAPI_TS_PAUSE_AT=NAME): it
 * says so on stderr and blocks until killed, so that a test kills it at an
 * exact point instead of after a guessed delay.
 */
function pausePoint(name: string): void {
  if (process.env.QAPI_TS_PAUSE_AT !== name) return;
  writeSync(2, `qapi-ts: paused at ${name}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

export interface WriteOptions {
  /** Which files already in DIR the output owns. */
  readonly owns: OwnsFile;
  /** Keep DIR a symbolic link to the current set, replaced in one step. */
  readonly symlink?: boolean | undefined;
  /** Told what the user should know of how DIR was written (in place). */
  readonly onNotice?: ((message: string) => void) | undefined;
}

/** Whether a run writing DIR would find nothing of other runs to clean up
 *  beside it, nor a folder DIR to turn into a link (the symlink mode): the
 *  conditions under which a run with nothing new to write does nothing. */
export function settled(dir: string, symlink: boolean): boolean {
  const given = withoutTrailingSlash(dir);
  if (symlink) return linkedSet(given) !== null && removable(given, new Siblings(given)).length === 0;
  const target = existsSync(given) && lstatSync(given).isSymbolicLink() ? realpathSync(given) : given;
  return new Siblings(target).leftovers().length === 0;
}

/** DIR as given, without a trailing slash (which would follow a link). */
function withoutTrailingSlash(dir: string): string {
  return dir.replace(/[\\/]+$/, '') || '.';
}

/** Brings DIR up to date; returns what changed. */
export function writeOutput(dir: string, files: readonly GeneratedFile[], options: WriteOptions): Difference[] {
  const given = withoutTrailingSlash(dir);
  const notice = options.onNotice ?? (() => undefined);
  return onOutput(given, () => {
    const made = mkdirSync(dirname(given), { recursive: true });
    try {
      return options.symlink ? writeLinked(given, files, options.owns, notice) : writeFolder(given, files, options.owns, notice);
    } catch (e) {
      // Nothing left behind: the folders made for DIR go too.
      if (made !== undefined) removeEmptyUpTo(dirname(given), made);
      throw e;
    }
  });
}

/** Removes `dir` and the folders above it up to `top`, while empty. */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

/** The folder the default mode swaps: DIR, or the folder DIR links to (a
 *  link stays one).  A link leading nowhere is an error. */
function folderOf(given: string): string {
  if (!present(given) || !lstatSync(given).isSymbolicLink()) return given;
  try {
    return realpathSync(given);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new OutputError(`${given}: a symbolic link that loops; remove it, or give --symlink to replace it`);
    throw new OutputError(`${given}: a symbolic link to '${readlinkSync(given)}', which does not exist; create that folder, or give --symlink to replace the link`);
  }
}

/** Writes DIR in place, file by file, and says so. */
function inPlace(dir: string, files: readonly GeneratedFile[], differences: readonly Difference[], notice: (m: string) => void, why: string): Difference[] {
  notice(`${dir} is ${why}: written in place, file by file (a reader may see old and new files together until the run ends)`);
  const rewrite = new Set(differences.filter((d) => d.change !== 'removed').map((d) => d.path));
  writeInPlace(
    dir,
    files,
    rewrite,
    differences.filter((d) => d.change === 'removed').map((d) => d.path),
  );
  return [...differences];
}

/** The default mode: DIR a folder, swapped by two renames. */
function writeFolder(given: string, files: readonly GeneratedFile[], owns: OwnsFile, notice: (m: string) => void): Difference[] {
  const target = folderOf(given);
  const siblings = new Siblings(target);
  // Up to date, and nothing left to clean up: nothing to do.
  if (differencesIn(target, files, owns).length === 0 && removable(target, siblings).length === 0) return [];
  const unlock = lock(siblings);
  try {
    recover(target, siblings);
    // Another run may have written the same files meanwhile.
    const differences = differencesIn(target, files, owns);
    if (differences.length === 0) return [];
    if (existsSync(target) && isMountPoint(target)) return inPlace(target, files, differences, notice, 'a mount point');
    pausePoint('staging');
    const staged = stage(target, siblings.stagePrefix, files, differences, owns);
    try {
      pausePoint('staged');
      if (!existsSync(target)) {
        renameSync(staged, target);
        return differences;
      }
      const backup = siblings.backupFor(staged);
      try {
        renameSync(target, backup);
      } catch (e) {
        // A bind mount of the same file system: found only now.
        if (cannotMove(e)) return inPlace(target, files, differences, notice, 'a mount point');
        throw e;
      }
      try {
        pausePoint('swapping');
        renameSync(staged, target);
      } catch (e) {
        renameSync(backup, target);
        throw e;
      }
      pausePoint('swapped');
      rmSync(backup, { recursive: true, force: true });
      return differences;
    } finally {
      // Gone once swapped in; otherwise this run's own leftover.
      rmSync(staged, { recursive: true, force: true });
    }
  } finally {
    unlock();
  }
}

/** The symlink mode: the new set in a folder of its own, then DIR, a link,
 *  replaced by a link to it in one rename. */
function writeLinked(link: string, files: readonly GeneratedFile[], owns: OwnsFile, notice: (m: string) => void): Difference[] {
  const siblings = new Siblings(link);
  // Up to date, a link, and nothing left to clean up: nothing to do.
  if (linkedSet(link) !== null && differencesIn(link, files, owns).length === 0 && removable(link, siblings).length === 0) return [];
  const unlock = lock(siblings);
  try {
    recover(link, siblings);
    // Another run may have written the same files meanwhile.
    const differences = differencesIn(link, files, owns);
    const previous = linkedSet(link);
    if (previous !== null && differences.length === 0) return [];
    const folder = present(link) && !lstatSync(link).isSymbolicLink();
    const cannotLink = 'a mount point, which cannot be replaced by a link';
    if (folder && isMountPoint(link)) return differences.length === 0 ? [] : inPlace(link, files, differences, notice, cannotLink);
    pausePoint('staging');
    const staged = stage(link, siblings.setPrefix, files, differences, owns);
    let linked = false;
    try {
      pausePoint('staged');
      rmSync(siblings.newLink, { force: true });
      symlinkSync(basename(staged), siblings.newLink);
      pausePoint('linking');
      if (folder) {
        // A folder DIR becoming a link: a folder cannot be replaced by a
        // link in one step, so this once it takes two renames.
        const backup = siblings.backupFor(staged);
        try {
          renameSync(link, backup);
        } catch (e) {
          // A bind mount of the same file system: found only now.
          if (cannotMove(e)) return differences.length === 0 ? [] : inPlace(link, files, differences, notice, cannotLink);
          throw e;
        }
        pausePoint('converting');
        try {
          renameSync(siblings.newLink, link);
        } catch (e) {
          renameSync(backup, link);
          throw e;
        }
        linked = true;
        rmSync(backup, { recursive: true, force: true });
      } else {
        // The previous set, if it is one of ours (a folder of the user's
        // that DIR linked to is theirs), stays for its grace period from now.
        if (previous !== null && siblings.leftovers().some((l) => l.kind === 'set' && realpathSync(l.path) === previous)) retire(previous);
        renameSync(siblings.newLink, link);
        linked = true;
      }
      pausePoint('linked');
      return differences;
    } finally {
      rmSync(siblings.newLink, { force: true });
      if (!linked) rmSync(staged, { recursive: true, force: true });
    }
  } finally {
    unlock();
  }
}
