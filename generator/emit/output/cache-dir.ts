/**
 * Where generation caches its work, by find-cache-dir's convention:
 * `node_modules/.cache/qapi-ts` of the nearest package, found by walking up
 * from the working directory to the nearest `package.json` (or
 * `$CACHE_DIR/qapi-ts` when CACHE_DIR is set).  No cache when there is no
 * package, or the package has no node_modules: a cache never creates a
 * node_modules directory of its own, in the schema's directory or anywhere.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CACHE_NAME = 'qapi-ts';

/** The nearest directory at or above `from` holding a package.json. */
export function nearestPackageDir(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The cache directory for a run from `cwd`, or null for no cache. */
export function findCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.CACHE_DIR;
  if (override !== undefined && override !== '' && !['true', 'false', '1', '0'].includes(override)) {
    return join(resolve(cwd, override), CACHE_NAME);
  }
  const pkg = nearestPackageDir(cwd);
  if (pkg === null) return null;
  const modules = join(pkg, 'node_modules');
  return isDirectory(modules) ? join(modules, '.cache', CACHE_NAME) : null;
}
