/**
 * The new DIR, complete, in a folder beside it: new and changed files
 * written, unchanged ones and the user's own files hard-linked from the old
 * DIR (their modification times stay, so watchers and builds stay quiet).
 * Also what DIR holds now and how it differs from the files generation
 * would write.
 */
import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { isTemporary } from './in-place.js';

export interface Difference {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed';
}

/** Whether a file found in DIR is one of the output's (the backend's
 *  rule; `read` gives its text, undefined when it cannot be read): a new
 *  set without it removes it; any other file is the user's and stays. */
export type OwnsFile = (name: string, read: () => string | undefined) => boolean;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isGenerated(dir: string, name: string, owns: OwnsFile): boolean {
  return !isTemporary(name) && owns(name, () => read(join(dir, name)));
}

/** Files a previous run generated, but for those named `wanted` (a
 *  backend may read a file to tell, and these are compared anyway). */
function previousOutput(dir: string, owns: OwnsFile, wanted: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => !wanted.has(name) && isGenerated(dir, name, owns));
}

/** How DIR differs from the files generation would write. */
export function differencesIn(dir: string, files: readonly GeneratedFile[], owns: OwnsFile): Difference[] {
  const out: Difference[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const f of files) {
    const current = read(join(dir, f.path));
    if (current === undefined) out.push({ path: f.path, change: 'added' });
    else if (current !== f.content) out.push({ path: f.path, change: 'changed' });
  }
  for (const name of previousOutput(dir, owns, wanted)) out.push({ path: name, change: 'removed' });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
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

/** The new DIR, complete, in a folder named `prefix` and six characters;
 *  nothing is left when it fails. */
export function stage(dir: string, prefix: string, files: readonly GeneratedFile[], differences: readonly Difference[], owns: OwnsFile): string {
  const folder = mkdtempSync(prefix);
  try {
    const exists = existsSync(dir);
    chmodSync(folder, exists ? statSync(dir).mode & 0o7777 : 0o777 & ~process.umask());
    const rewritten = new Set(differences.map((d) => d.path));
    const wanted = new Set(files.map((f) => f.path));
    // Whatever is not generated, or generated and unchanged, carries over.
    for (const name of exists ? readdirSync(dir) : []) {
      if (rewritten.has(name) || isTemporary(name) || (!wanted.has(name) && isGenerated(dir, name, owns))) continue;
      linkTree(join(dir, name), join(folder, name));
    }
    for (const f of files) if (rewritten.has(f.path)) writeFileSync(join(folder, f.path), f.content);
    return folder;
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw e;
  }
}
