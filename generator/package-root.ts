/**
 * Where the package's own files are (package.json, schema/, templates/),
 * resolved once and the same way from the sources (generator/*.ts, under
 * vitest) and from the build (dist/generator/*.js, installed or not): by
 * the package's own name, which Node resolves from inside the package to
 * its package.json (the manifest exports "./package.json" for this).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE_ROOT = dirname(createRequire(import.meta.url).resolve('qapi-ts/package.json'));

/** A file shipped with the package, by its path from the package root. */
export function packageFile(...path: string[]): string {
  return join(PACKAGE_ROOT, ...path);
}

/** qapi-ts's version, as its package.json (the one place it is written) says. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { readonly version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${packageFile('package.json')} names no version`);
  return manifest.version;
}
