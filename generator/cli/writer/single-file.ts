/**
 * Writing an output that is one file (`jsonschema -o FILE`): the new text
 * is written beside FILE (`.FILE.qapi-ts-PID`) and renamed over it, so a
 * reader finds the old file or the new one, never a part; a failure leaves
 * the old file and nothing beside it.  A file already up to date is not
 * touched (its modification time stays).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, type Difference } from './directory.js';

function current(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** How FILE differs from `content` (nothing, or one difference). */
export function compareFile(path: string, content: string): Difference[] {
  const now = current(path);
  if (now === content) return [];
  return [{ path: basename(path), change: now === undefined ? 'added' : 'changed' }];
}

/** Brings FILE up to date; returns what changed. */
export function writeFile(path: string, content: string): Difference[] {
  const differences = compareFile(path, content);
  if (differences.length === 0) return [];
  const staging = join(dirname(path), `.${basename(path)}.qapi-ts-${process.pid}`);
  try {
    writeFileSync(staging, content);
    renameSync(staging, path);
  } catch (e) {
    if (existsSync(staging)) rmSync(staging, { force: true });
    throw new OutputError(`cannot write ${path}: ${(e as Error).message}`);
  }
  return differences;
}
