/**
 * The stamp of a generated output: a small file in the output directory
 * (`.qapi-ts-stamp.json`), written with the rest of the set, that records
 * what the output was made from: every input file's digest (the root
 * schema and each file it includes, a capture), the generator that made it
 * (its version and, for a build of a working tree, the hash of the sources
 * it was built from), what the run was asked (backend, language, every
 * setting), the digest of every file written, and the warnings the run
 * printed.
 *
 * A later run asked the same thing compares: when the generator is the
 * same, every input still has its digest and the directory still holds
 * exactly the files written, with theirs, nothing can have changed, and
 * the run answers without reading the schema (upToDate).  Any difference,
 * a missing or unreadable stamp, or anything beside DIR a run would clean
 * up, and the run does the whole work, which writes a new stamp.  Nothing
 * is kept anywhere else.
 *
 * A stamp holds digests and paths relative to the directory, not times or
 * inode numbers: it is the same on every machine for the same inputs, and
 * can be committed with the output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { packageFile, packageVersion } from '../../package-root.js';
import { contentDigest } from '../../source/files.js';
import type { OwnsFile } from './directory.js';

export const STAMP_FILE = '.qapi-ts-stamp.json';

/** Read by a later version that changes what a stamp holds: an older
 *  stamp is then not understood, and the run does the whole work. */
const STAMP_FORMAT = 1;

export interface Stamp {
  readonly format: number;
  readonly generator: string;
  /** What the run was asked, as one string (stampRequest). */
  readonly request: string;
  /** Each input by its path relative to the directory, '/'-separated. */
  readonly inputs: readonly { readonly path: string; readonly digest: string }[];
  readonly outputs: readonly { readonly path: string; readonly digest: string }[];
  readonly warnings: readonly string[];
}

let generatorId: string | undefined;

/** The generator, as a stamp names it: qapi-ts's version, and the build
 *  stamp of the sources where the package has one (a working tree's
 *  build; build/stamp.mjs), so that any change of the generator's code
 *  counts. */
export function generatorIdentity(): string {
  if (generatorId === undefined) {
    const version = packageVersion();
    let sources = '';
    try {
      sources = (JSON.parse(readFileSync(packageFile('dist', 'build-stamp.json'), 'utf8')) as { sources: string }).sources;
    } catch {
      // A packed release: its version says it all.
    }
    generatorId = sources === '' ? version : `${version}+${sources}`;
  }
  return generatorId;
}

/** What a run was asked, as one string: equal strings, equal requests.
 *  Object keys are sorted, so that the order they were given in does not
 *  count. */
export function stampRequest(request: unknown): string {
  return JSON.stringify(request, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** `path` relative to the output directory, '/'-separated. */
function fromDir(dir: string, path: string): string {
  return relative(resolve(dir), path).split(sep).join('/');
}

/** The stamp file of an output about to be written to `dir`. */
export function stampFile(
  dir: string,
  request: string,
  inputs: ReadonlyMap<string, string>,
  files: readonly GeneratedFile[],
  warnings: readonly string[],
  digest: (content: string) => string = contentDigest,
): GeneratedFile {
  const stamp: Stamp = {
    format: STAMP_FORMAT,
    generator: generatorIdentity(),
    request,
    inputs: [...inputs].map(([path, digest]) => ({ path: fromDir(dir, path), digest })),
    outputs: files.map((f) => ({ path: f.path, digest: digest(f.content) })),
    warnings,
  };
  return { path: STAMP_FILE, content: `${JSON.stringify(stamp, null, 1)}\n` };
}

function readStamp(dir: string): Stamp | null {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as Stamp;
    return stamp.format === STAMP_FORMAT ? stamp : null;
  } catch {
    return null;
  }
}

/** Whether `path` holds content of `digest`. */
function holds(path: string, digest: string): boolean {
  try {
    return contentDigest(readFileSync(path)) === digest;
  } catch {
    return false;
  }
}

/**
 * Whether the output in `dir` was made by this generator, asked
 * `request`, from inputs that have not changed since, and is as it was
 * written: then the warnings that run printed, and the input files
 * (absolute); otherwise null.
 */
export function upToDate(dir: string, request: string, owns: OwnsFile): { readonly warnings: readonly string[]; readonly inputs: readonly string[] } | null {
  const stamp = readStamp(dir);
  if (stamp === null || stamp.generator !== generatorIdentity() || stamp.request !== request) return null;
  for (const input of stamp.inputs) if (!holds(resolve(dir, input.path), input.digest)) return null;
  for (const output of stamp.outputs) if (!holds(join(dir, output.path), output.digest)) return null;
  // A file of the output's kind that the stamp does not list would be
  // removed by a run that writes.
  const listed = new Set([STAMP_FILE, ...stamp.outputs.map((o) => o.path)]);
  for (const name of readdirSync(dir)) {
    if (!listed.has(name) && owns(name, () => readOrUndefined(join(dir, name)))) return null;
  }
  return { warnings: stamp.warnings, inputs: stamp.inputs.map((i) => resolve(dir, i.path)) };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
