/**
 * Writing into DIR file by file, for a DIR that cannot be replaced: a
 * mount point (a container's volume, a bind mount), which no rename moves.
 * Each new or changed file is written beside its place inside DIR
 * (`.qapi-ts-tmp-PID-N`, on DIR's own file system) and renamed over it, so
 * each file is whole, old or new; then the files the new set lacks are
 * removed.  A reader may see old and new files together while it runs.
 * A failed run removes what it wrote aside; what a killed run left aside
 * is removed by the next.
 */
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { alive } from './siblings.js';

const TEMPORARY = /^\.qapi-ts-tmp-(\d+)-\d+$/;

/** Whether DIR is a mount point: on another file system than its parent
 *  (or the root of the file tree). */
export function isMountPoint(dir: string): boolean {
  const own = statSync(dir);
  const parent = statSync(join(dir, '..'));
  return own.dev !== parent.dev || own.ino === parent.ino;
}

/** Rename errors that say DIR itself cannot be moved: it is a mount point
 *  (EBUSY), or on another file system than the folder beside it (EXDEV). */
export function cannotMove(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EBUSY' || code === 'EXDEV';
}

/** Removes what killed runs wrote aside inside DIR. */
export function removeDeadTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = TEMPORARY.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

/** Whether a name in DIR is one of the files in-place writing puts aside. */
export function isTemporary(name: string): boolean {
  return TEMPORARY.test(name);
}

/** Brings DIR's files to `files`: `rewrite` are written (each renamed into
 *  place), `remove` removed.  Called with the lock held. */
export function writeInPlace(dir: string, files: readonly GeneratedFile[], rewrite: ReadonlySet<string>, remove: readonly string[]): void {
  removeDeadTemporaries(dir);
  let n = 0;
  for (const f of files) {
    if (!rewrite.has(f.path)) continue;
    const aside = join(dir, `.qapi-ts-tmp-${process.pid}-${n++}`);
    try {
      writeFileSync(aside, f.content);
      renameSync(aside, join(dir, f.path));
    } finally {
      rmSync(aside, { force: true });
    }
  }
  for (const name of remove) rmSync(join(dir, name), { force: true });
}
