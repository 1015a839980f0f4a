// The build stamp: the last step of `npm run build` writes, into each
// folder the build made (dist/ and runtime/dist/), a hash of the sources it
// was built from.  A test (test/project/build-stamp.process.test.ts) hashes the
// working tree with the same function and compares: equal means the CLI and
// runtime under test are this tree's build, not a leftover of other sources.
// Plain JavaScript with no dependencies, so that the build runs it before
// anything is compiled and the tests import it as it is.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build compiles or copies (its own output left out), and how it is configured
 *  (the lock file too: the same sources built by another compiler are another build). */
export const SOURCE_DIRS = ['build', 'grammar', 'generator', 'runtime', 'fuzz', 'templates', 'schema'];
export const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
export const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
const SOURCE_NAME = /\.(ts|mts|mjs|peggy|json|txt)$/;
/** The compiled grammar, written by the build beside its source. */
const BUILD_OUTPUT = /^parser\.(js|d\.ts)$/;

/** The folders the build writes, each of which gets the stamp. */
export const BUILT_DIRS = ['dist', join('runtime', 'dist')];
export const STAMP_NAME = 'build-stamp.json';

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...listFiles(path));
    } else if (SOURCE_NAME.test(entry.name) && !BUILD_OUTPUT.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** A hash over the path (relative to `root`, '/'-separated) and content of every source file, in a fixed order. */
export function sourceHash(root) {
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap((d) => listFiles(join(root, d))), ...SOURCE_FILES.map((f) => join(root, f))]
    .map((file) => relative(root, file).split(sep).join('/'))
    .sort();
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

/** The stamp found in a built folder, or undefined where there is none. */
export function readStamp(builtDir) {
  try {
    return JSON.parse(readFileSync(join(builtDir, STAMP_NAME), 'utf8')).sources;
  } catch {
    return undefined;
  }
}

/** The built folders whose stamp is not `sources` (missing, or of other sources). */
export function staleBuilds(root, sources = sourceHash(root)) {
  return BUILT_DIRS.filter((dir) => readStamp(join(root, dir)) !== sources);
}

// Run as the build's last step: stamp every built folder of this tree.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const stamp = `${JSON.stringify({ sources: sourceHash(root) })}\n`;
  for (const dir of BUILT_DIRS) writeFileSync(join(root, dir, STAMP_NAME), stamp);
}
