/**
 * Where things are, whether this module runs from the sources (tests) or
 * from dist/ (`npm run fuzz`): the project root is the nearest folder up
 * with qapi-ts's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'qapi-ts') return dir;
    if (dirname(dir) === dir) throw new Error('fuzz: cannot find the qapi-ts project root');
  }
}

export const PROJECT_ROOT = findRoot();
/** The built pool child (the pool forks plain JavaScript). */
export const WORKER_SCRIPT = join(PROJECT_ROOT, 'dist', 'fuzz', 'worker.js');
/** The built command line, for reproducer commands. */
export const CLI_SCRIPT = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js');
export const DEFAULT_SHARED = join(PROJECT_ROOT, '..', 'shared');
