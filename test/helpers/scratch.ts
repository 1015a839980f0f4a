/**
 * Temporary folders for tests.  `scratchFolders(prefix)`, called where a
 * file's hooks may be declared (its top level, a describe block), gives a
 * maker of folders that may be called anywhere, a test included; every
 * folder it made is removed once the file's tests have run, so runs of the
 * suite leave nothing behind.  `makeTempDir`/`removeTempDir` are for a
 * test that removes its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function makeTempDir(prefix = 'qapi-ts-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeTempDir(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

export function scratchFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) removeTempDir(dir);
  });
  return () => {
    const dir = makeTempDir(prefix);
    made.push(dir);
    return dir;
  };
}
