/**
 * Where the package's own files are (package.json, schema/, templates/),
 * found once and the same way from the sources (generator/*.ts, under
 * vitest) and from the build (dist/generator/*.js and the bundled CLI in
 * dist/generator/cli/, installed or not): the nearest folder above this
 * module that holds a package.json, which is the package's own (no folder
 * between holds one).  Asking Node to resolve the package's own name
 * would do too, but brings its ES module resolver into every run (some
 * 2 ms of a short run's CPU); the folder is looked for on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let packageRoot: string | undefined;

function root(): string {
  if (packageRoot !== undefined) return packageRoot;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (packageRoot = dir);
    if (dirname(dir) === dir) throw new Error(`no package.json in or above ${start}`);
  }
}

/** A file shipped with the package, by its path from the package root. */
export function packageFile(...path: string[]): string {
  return join(root(), ...path);
}

/** qapi-ts's version, as its package.json (the one place it is written) says. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { readonly name?: unknown; readonly version?: unknown };
  if (manifest.name !== 'qapi-ts') throw new Error(`${packageFile('package.json')} is not qapi-ts's manifest`);
  if (typeof manifest.version !== 'string') throw new Error(`${packageFile('package.json')} names no version`);
  return manifest.version;
}
