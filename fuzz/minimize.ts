/**
 * Shrinks a failing input to a small one that fails the same way, so that a
 * crash found by fuzzing becomes a regression test a person can read: first
 * whole files are emptied, then lines are removed (delta debugging: chunks
 * of halving size), file by file.
 */
import type { Mutant } from './mutant.js';

/** Whether a candidate still fails the same way. */
export type StillFails = (files: ReadonlyMap<string, Buffer>) => Promise<boolean>;

export interface Minimized {
  readonly files: ReadonlyMap<string, Buffer>;
  /** Runs of the front end it took. */
  readonly tries: number;
}

/** Every file of the mutant's schema, changed or not. */
export function allFiles(mutant: Mutant): Map<string, Buffer> {
  return new Map([...mutant.corpus.files, ...mutant.files]);
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/**
 * Removes chunks of `units` (halving the chunk size down to one) while
 * `keeps(candidate)` says the candidate still fails; returns what is left.
 */
async function reduce<T>(units: readonly T[], keeps: (candidate: readonly T[]) => Promise<boolean>): Promise<T[]> {
  let left = [...units];
  for (let chunk = Math.max(1, left.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at < left.length; ) {
      const candidate = [...left.slice(0, at), ...left.slice(at + chunk)];
      if (await keeps(candidate)) left = candidate;
      else at += chunk;
    }
  }
  return left;
}

export async function minimize(start: ReadonlyMap<string, Buffer>, root: string, stillFails: StillFails, maxTries = 5000): Promise<Minimized> {
  let files = new Map(start);
  let tries = 0;
  const attempt = async (candidate: Map<string, Buffer>): Promise<boolean> => {
    if (tries >= maxTries) return false;
    tries++;
    if (await stillFails(candidate)) {
      files = candidate;
      return true;
    }
    return false;
  };

  // Whole files first (emptied, so that includes still find them): most of
  // a schema has nothing to do with the fault.
  const emptiable = [...files.keys()].filter((n) => n !== root && files.get(n)!.length > 0);
  await reduce(emptiable, (kept) => {
    const candidate = new Map(files);
    const keep = new Set(kept);
    for (const name of emptiable) if (!keep.has(name)) candidate.set(name, Buffer.alloc(0));
    return attempt(candidate);
  });
  // Then lines, file by file, largest first.
  const order = [...files.keys()].filter((n) => files.get(n)!.length > 0).sort((a, b) => files.get(b)!.length - files.get(a)!.length);
  for (const name of order) {
    await reduce(splitLines(files.get(name)!), (kept) => attempt(new Map(files).set(name, Buffer.concat(kept))));
  }
  return { files, tries };
}
