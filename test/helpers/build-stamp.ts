/**
 * The build stamp: a hash of every source file the build compiles, written
 * beside the built CLI by the tests' global setup.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './shared.js';

/** What the build compiles: the grammar, the generator, the fuzzer and the
 *  runtime workspace (its build output left out), and how it is configured. */
const SOURCE_DIRS = ['grammar', 'generator', 'runtime', 'fuzz', 'templates', 'schema'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

export const BUILD_STAMP_FILE = join(PROJECT_ROOT, 'dist', 'build-stamp.json');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...listFiles(path));
    } else if (/\.(ts|mjs|peggy|json|txt)$/.test(entry.name) && !/^parser\.(js|d\.ts)$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** A hash over the path and content of every source file, in a fixed order. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap((d) => listFiles(join(PROJECT_ROOT, d))), ...SOURCE_FILES.map((f) => join(PROJECT_ROOT, f))].sort();
  for (const file of files) {
    hash.update(relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
