/**
 * What runs writing an output directory DIR keep beside it, and how they
 * take turns: the names of staging folders, backups, sets and links (each
 * carrying its run's pid, so that a later run can tell a dead run's
 * leftovers from a live one's), and the lock file `.DIR.qapi-ts.lock`.
 */
import { linkSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Leftover {
  readonly path: string;
  /** A staging folder, a backup, a lock attempt's pid file, a set of the
   *  symlink mode, or a link made aside in that mode. */
  readonly kind: 'stage' | 'old' | 'lock' | 'set' | 'link';
  readonly pid: number | null;
}

/** The names of the folders and files a run keeps beside DIR. */
export class Siblings {
  readonly parent: string;
  readonly base: string;

  constructor(dir: string) {
    this.parent = dirname(dir);
    this.base = basename(dir);
  }

  get lock(): string {
    return join(this.parent, `.${this.base}.qapi-ts.lock`);
  }

  /** Where this run stages the new DIR (mkdtemp completes the name). */
  get stagePrefix(): string {
    return join(this.parent, `.${this.base}.qapi-ts-stage-${process.pid}-`);
  }

  /** Where the symlink mode builds a set (mkdtemp completes the name). */
  get setPrefix(): string {
    return join(this.parent, `.${this.base}.qapi-ts-set-${process.pid}-`);
  }

  /** Where the symlink mode makes the new link before renaming it over DIR. */
  get newLink(): string {
    return join(this.parent, `.${this.base}.qapi-ts-link-${process.pid}`);
  }

  /** Where the old DIR goes while `staged` takes its place. */
  backupFor(staged: string): string {
    return join(this.parent, basename(staged).replace(/\.qapi-ts-(?:stage|set)-/, '.qapi-ts-old-'));
  }

  /** What runs left beside DIR: staging folders, backups, and the pid
   *  files of lock attempts, each with the pid of its run (null for the
   *  unnamed staging folders of earlier versions). */
  leftovers(): Leftover[] {
    const lead = `.${this.base}.qapi-ts`;
    const out: Leftover[] = [];
    for (const name of readdirSync(this.parent)) {
      if (!name.startsWith(lead)) continue;
      const path = join(this.parent, name);
      const rest = name.slice(lead.length);
      const folder = /^-(stage|old|set)-(\d+)-[A-Za-z0-9]+$/.exec(rest);
      const pidFile = /^\.lock\.(\d+)(?:\.stale)?$/.exec(rest);
      const link = /^-link-(\d+)$/.exec(rest);
      if (folder) out.push({ path, kind: folder[1] as 'stage' | 'old' | 'set', pid: Number(folder[2]) });
      else if (pidFile) out.push({ path, kind: 'lock', pid: Number(pidFile[1]) });
      else if (link) out.push({ path, kind: 'link', pid: Number(link[1]) });
      else if (/^-[A-Za-z0-9]{6}$/.test(rest)) out.push({ path, kind: 'stage', pid: null });
    }
    return out;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** How long to wait for another run writing the same DIR. */
const LOCK_WAIT_MS = 120_000;

/** Takes the lock on DIR, waiting while a live run holds it and taking it
 *  over from a dead one; returns how to release it. */
export function lock(siblings: Siblings): () => void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  // The lock appears with its holder's pid in it: written aside, then
  // linked into place (which fails if it exists).
  const mine = `${siblings.lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  for (;;) {
    try {
      linkSync(mine, siblings.lock);
      rmSync(mine, { force: true });
      return () => rmSync(siblings.lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        rmSync(mine, { force: true });
        throw e;
      }
    }
    const holder = Number.parseInt(readLock(siblings.lock), 10);
    if (Number.isInteger(holder) && !alive(holder)) {
      // Only one run renames the dead holder's lock away; the others retry.
      const taken = `${siblings.lock}.${process.pid}.stale`;
      try {
        renameSync(siblings.lock, taken);
        unlinkSync(taken);
      } catch {
        // another run took it over first
      }
      continue;
    }
    if (Date.now() > deadline) {
      rmSync(mine, { force: true });
      throw new Error(`another qapi-ts run (pid ${holder}) has been writing ${join(siblings.parent, siblings.base)} for too long`);
    }
    // A lock held by a live run, or one just created and not yet named.
    sleepSync(20);
  }
}

/** The pid a lock file names ('' when it is gone or unreadable). */
function readLock(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
