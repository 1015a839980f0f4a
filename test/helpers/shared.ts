/**
 * Locates ../shared (QEMU's schemas and test suite).  Where it is absent,
 * tests that need it skip with a visible notice; under CI they fail.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(PROJECT_ROOT, '..', 'shared');

export interface SharedCheck {
  readonly available: boolean;
  /** Absolute path of the requested file or folder inside shared/. */
  readonly path: string;
}

export function requireShared(relative: string, what = 'tests'): SharedCheck {
  const path = join(SHARED, relative);
  if (existsSync(path)) return { available: true, path };
  const message = `${what}: ${path} is missing (the project expects QEMU's reference data in ../shared)`;
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
  return { available: false, path };
}
