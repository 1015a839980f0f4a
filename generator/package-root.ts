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

/**
 * A file the package ships cannot be read: the installation is broken (a
 * file deleted, a package copied in part), which no input and no flag
 * mends.  The CLI says so in one line, with its own exit code.
 */
export class BrokenInstallError extends Error {}

/** What is wrong with the installation: `what` of `path`. */
function brokenInstall(path: string, what: string): BrokenInstallError {
  return new BrokenInstallError(`qapi-ts's installation is broken: ${path} ${what}; reinstall qapi-ts`);
}

function root(): string {
  if (packageRoot !== undefined) return packageRoot;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (packageRoot = dir);
    if (dirname(dir) === dir) throw brokenInstall(start, 'has no package.json in or above it');
  }
}

/** A file shipped with the package, by its path from the package root. */
export function packageFile(...path: string[]): string {
  return join(root(), ...path);
}

/** The text of a file shipped with the package; BrokenInstallError,
 *  naming it, where it cannot be read. */
export function readPackageFile(...path: string[]): string {
  const file = packageFile(...path);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (e as Error).message})`;
    throw brokenInstall(file, what);
  }
}

/** qapi-ts's version, as its package.json (the one place it is written) says. */
export function packageVersion(): string {
  const broken = (what: string): BrokenInstallError => brokenInstall(packageFile('package.json'), what);
  let manifest: { readonly name?: unknown; readonly version?: unknown };
  try {
    manifest = JSON.parse(readPackageFile('package.json')) as typeof manifest;
  } catch (e) {
    if (e instanceof SyntaxError) throw broken('is not JSON');
    throw e;
  }
  if (manifest.name !== 'qapi-ts') throw broken("is not qapi-ts's manifest");
  if (typeof manifest.version !== 'string') throw broken('names no version');
  return manifest.version;
}
