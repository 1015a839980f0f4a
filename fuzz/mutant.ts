/**
 * A mutant: one release's schema with some files changed or added, plus
 * special files (FIFOs, directories, sparse files, symlinks) for hostile
 * includes.  It is written out as a directory that holds the whole schema.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, linkSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CorpusEntry } from './corpus.js';

export type Special =
  | { readonly kind: 'fifo'; readonly path: string }
  | { readonly kind: 'directory'; readonly path: string }
  /** A file of `size` zero bytes that takes no disk space. */
  | { readonly kind: 'sparse'; readonly path: string; readonly size: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

export interface Mutant {
  readonly seed: number;
  readonly index: number;
  readonly corpus: CorpusEntry;
  /** Changed and added files, by name relative to the schema directory. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly specials: readonly Special[];
  /** What was done, one short line per operation, for the report. */
  readonly operations: readonly string[];
}

/** The text of a schema file as the mutant has it. */
export function mutantFile(mutant: Mutant, name: string): Buffer | undefined {
  return mutant.files.get(name) ?? mutant.corpus.files.get(name);
}

/**
 * Writes the mutant's whole schema into `dir` (which must not exist).
 * Unchanged files are hard links to `pristine` when given (a directory
 * holding the release's files, on the same file system), else copies.
 */
export function materialize(mutant: Mutant, dir: string, pristine?: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of mutant.corpus.files) {
    if (mutant.files.has(name)) continue;
    // A suite's included files may sit in a subfolder (include/).
    if (name.includes('/')) mkdirSync(dirname(join(dir, name)), { recursive: true });
    if (pristine) linkSync(join(pristine, name), join(dir, name));
    else writeFileSync(join(dir, name), bytes);
  }
  for (const [name, bytes] of mutant.files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  for (const special of mutant.specials) {
    const path = join(dir, special.path);
    mkdirSync(dirname(path), { recursive: true });
    switch (special.kind) {
      case 'fifo':
        // Node has no mkfifo(); coreutils does.
        execFileSync('mkfifo', [path]);
        break;
      case 'directory':
        mkdirSync(path, { recursive: true });
        break;
      case 'sparse': {
        const fd = openSync(path, 'w');
        try {
          ftruncateSync(fd, special.size);
        } finally {
          closeSync(fd);
        }
        break;
      }
      case 'symlink':
        symlinkSync(special.target, path);
        break;
    }
  }
}

/** Writes the release's files once, for materialize()'s hard links. */
export function writePristine(corpus: CorpusEntry, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of corpus.files) {
    if (name.includes('/')) mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}
