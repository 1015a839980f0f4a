/**
 * A folder for a test's files, under the system's temporary folder, that
 * goes when it is no longer needed, so that runs of the suite leave nothing
 * behind: `until: 'test'` (made inside a test) when that test ends, `until:
 * 'file'` (made while the file is collected) when the file's tests have run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

export function scratchDir(prefix: string, until: 'test' | 'file'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (until === 'test') onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
