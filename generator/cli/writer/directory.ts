/**
 * Writing generated files: compare with what DIR holds, and replace DIR as a
 * whole, so that a reader sees either the old set of files or the new one,
 * never a mix.
 *
 * The new DIR is built beside it in a staging folder (`.DIR.qapi-ts-stage-PID-…`):
 * new and changed files written, unchanged ones and the user's own files
 * hard-linked from the old DIR (their modification times stay, so watchers
 * and builds stay quiet).  Then two renames swap it in: DIR → backup
 * (`.DIR.qapi-ts-old-PID-…`), staging → DIR; the backup is removed.  A failed
 * run leaves DIR untouched.  A run killed at any point leaves DIR holding
 * the old set or the new one, except for the instant between the two
 * renames, when DIR does not exist and both sets are complete beside it;
 * the next run first finishes such a swap and removes what dead runs left
 * behind.  Runs writing the same DIR at once take turns (a lock file,
 * `.DIR.qapi-ts.lock`, naming its holder's pid).
 *
 * With `symlink`, DIR is a symbolic link instead, and that instant is gone:
 * each new set is built in a folder of its own beside DIR
 * (`.DIR.qapi-ts-set-PID-…`), a new link to it is made aside
 * (`.DIR.qapi-ts-link-PID`) and renamed over DIR, which replaces the link in
 * one step; the previous set is removed after.  A reader who opens DIR
 * finds the old set or the new one, always.  (Only turning an existing
 * folder DIR into a link takes the two renames above, once.)
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { alive, lock, Siblings, type Leftover } from './siblings.js';

export interface Difference {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed';
}

/** Whether a file found in DIR is one of the output's (the backend's
 *  rule; `read` gives its text, undefined when it cannot be read): a new
 *  set without it removes it; any other file is the user's and stays. */
export type OwnsFile = (name: string, read: () => string | undefined) => boolean;

function isGenerated(dir: string, name: string, owns: OwnsFile): boolean {
  return owns(name, () => read(join(dir, name)));
}

/** Files a previous run generated. */
function previousOutput(dir: string, owns: OwnsFile): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => isGenerated(dir, name, owns));
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

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

function differencesIn(dir: string, files: readonly GeneratedFile[], owns: OwnsFile): Difference[] {
  const out: Difference[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const f of files) {
    const current = read(join(dir, f.path));
    if (current === undefined) out.push({ path: f.path, change: 'added' });
    else if (current !== f.content) out.push({ path: f.path, change: 'changed' });
  }
  for (const name of previousOutput(dir, owns)) if (!wanted.has(name)) out.push({ path: name, change: 'removed' });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
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

/** Whether something (a folder, a file, a link, even a broken one) is at `path`. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real path of the folder a symbolic link DIR points to, or null when
 *  DIR is not a link (or a broken one). */
function linkedSet(dir: string): string | null {
  if (!present(dir) || !lstatSync(dir).isSymbolicLink()) return null;
  try {
    return realpathSync(dir);
  } catch {
    return null;
  }
}

/** The leftovers of other runs, not counting the set DIR links to. */
function garbage(dir: string, siblings: Siblings): Leftover[] {
  const current = linkedSet(dir);
  return siblings.leftovers().filter((l) => !(l.kind === 'set' && realpathSync(l.path) === current));
}

/** Finishes what a killed run left: DIR missing with its swap half done is
 *  given the new set (or, without it, the old one back); every leftover of
 *  a dead run is removed, and every set DIR does not link to (sets are
 *  made only under the lock, which this run holds).  Called with the lock
 *  held. */
function recover(dir: string, siblings: Siblings): void {
  const dead = siblings.leftovers().filter((l) => l.pid === null || (l.pid !== process.pid && !alive(l.pid)));
  const backup = dead.find((l) => l.kind === 'old');
  if (!present(dir) && backup) {
    // The backup exists only once the new set was complete: its staging
    // folder, or in the symlink mode the link to it.
    const next = dead.find((l) => (l.kind === 'stage' || l.kind === 'link') && l.pid === backup.pid);
    renameSync((next ?? backup).path, dir);
  }
  const deadPaths = new Set(dead.map((l) => l.path));
  for (const l of garbage(dir, siblings)) {
    if (l.kind === 'set' || deadPaths.has(l.path)) rmSync(l.path, { recursive: true, force: true });
  }
}

/** Puts `src` (a file, a symlink or a folder of them) at `dst` without
 *  copying data where the file system allows: hard links keep the inode,
 *  contents and modification time. */
function linkTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), dst);
  } else if (st.isDirectory()) {
    mkdirSync(dst, { mode: st.mode & 0o7777 });
    for (const name of readdirSync(src)) linkTree(join(src, name), join(dst, name));
  } else {
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
      utimesSync(dst, st.atime, st.mtime);
    }
  }
}

/** The new DIR, complete, in a staging folder beside it. */
function stage(dir: string, prefix: string, files: readonly GeneratedFile[], differences: readonly Difference[], owns: OwnsFile): string {
  const folder = mkdtempSync(prefix);
  try {
    const exists = existsSync(dir);
    chmodSync(folder, exists ? statSync(dir).mode & 0o7777 : 0o777 & ~process.umask());
    const rewritten = new Set(differences.map((d) => d.path));
    const wanted = new Set(files.map((f) => f.path));
    // Whatever is not generated, or generated and unchanged, carries over.
    for (const name of exists ? readdirSync(dir) : []) {
      if (rewritten.has(name) || (!wanted.has(name) && isGenerated(dir, name, owns))) continue;
      linkTree(join(dir, name), join(folder, name));
    }
    for (const f of files) if (rewritten.has(f.path)) writeFileSync(join(folder, f.path), f.content);
    return folder;
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw e;
  }
}

export interface WriteOptions {
  /** Which files already in DIR the output owns. */
  readonly owns: OwnsFile;
  /** Keep DIR a symbolic link to the current set, replaced in one step. */
  readonly symlink?: boolean | undefined;
}

/** Whether a run writing DIR would find nothing of other runs to clean up
 *  beside it, nor a folder DIR to turn into a link (the symlink mode): the
 *  conditions under which a run with nothing new to write does nothing. */
export function settled(dir: string, symlink: boolean): boolean {
  const given = withoutTrailingSlash(dir);
  if (symlink) return linkedSet(given) !== null && garbage(given, new Siblings(given)).length === 0;
  const target = existsSync(given) && lstatSync(given).isSymbolicLink() ? realpathSync(given) : given;
  return new Siblings(target).leftovers().length === 0;
}

/** Brings DIR up to date; returns what changed. */
/** DIR as given, without a trailing slash (which would follow a link). */
function withoutTrailingSlash(dir: string): string {
  return dir.replace(/[\\/]+$/, '') || '.';
}

export function writeOutput(dir: string, files: readonly GeneratedFile[], options: WriteOptions): Difference[] {
  const given = withoutTrailingSlash(dir);
  return onOutput(given, () => {
    mkdirSync(dirname(given), { recursive: true });
    return options.symlink ? writeLinked(given, files, options.owns) : writeFolder(given, files, options.owns);
  });
}

/** The default mode: DIR a folder, swapped by two renames. */
function writeFolder(given: string, files: readonly GeneratedFile[], owns: OwnsFile): Difference[] {
  // A DIR that is a symlink stays one: the folder it points to is swapped.
  const target = existsSync(given) && lstatSync(given).isSymbolicLink() ? realpathSync(given) : given;
  const siblings = new Siblings(target);
  // Up to date, and nothing left to clean up: nothing to do.
  if (differencesIn(target, files, owns).length === 0 && siblings.leftovers().length === 0) return [];
  const unlock = lock(siblings);
  try {
    recover(target, siblings);
    // Another run may have written the same files meanwhile.
    const differences = differencesIn(target, files, owns);
    if (differences.length === 0) return [];
    pausePoint('staging');
    const staged = stage(target, siblings.stagePrefix, files, differences, owns);
    pausePoint('staged');
    if (!existsSync(target)) {
      renameSync(staged, target);
    } else {
      const backup = siblings.backupFor(staged);
      renameSync(target, backup);
      pausePoint('swapping');
      renameSync(staged, target);
      pausePoint('swapped');
      rmSync(backup, { recursive: true, force: true });
    }
    return differences;
  } finally {
    unlock();
  }
}

/** The symlink mode: the new set in a folder of its own, then DIR, a link,
 *  replaced by a link to it in one rename. */
function writeLinked(link: string, files: readonly GeneratedFile[], owns: OwnsFile): Difference[] {
  const siblings = new Siblings(link);
  // Up to date, a link, and nothing left to clean up: nothing to do.
  if (linkedSet(link) !== null && differencesIn(link, files, owns).length === 0 && garbage(link, siblings).length === 0) return [];
  const unlock = lock(siblings);
  try {
    recover(link, siblings);
    // Another run may have written the same files meanwhile.
    const differences = differencesIn(link, files, owns);
    const previous = linkedSet(link);
    if (previous !== null && differences.length === 0) return [];
    pausePoint('staging');
    const staged = stage(link, siblings.setPrefix, files, differences, owns);
    pausePoint('staged');
    rmSync(siblings.newLink, { force: true });
    symlinkSync(basename(staged), siblings.newLink);
    pausePoint('linking');
    if (present(link) && !lstatSync(link).isSymbolicLink()) {
      // A folder DIR becoming a link: a folder cannot be replaced by a
      // link in one step, so this once it takes two renames.
      const backup = siblings.backupFor(staged);
      renameSync(link, backup);
      pausePoint('converting');
      renameSync(siblings.newLink, link);
      rmSync(backup, { recursive: true, force: true });
    } else {
      renameSync(siblings.newLink, link);
    }
    pausePoint('linked');
    // The previous set, if it was one of ours (a folder of the user's that
    // DIR linked to is theirs to keep).
    for (const l of siblings.leftovers()) {
      if (l.kind === 'set' && previous !== null && realpathSync(l.path) === previous) rmSync(l.path, { recursive: true, force: true });
    }
    return differences;
  } finally {
    unlock();
  }
}
