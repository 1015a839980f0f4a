/**
 * The fuzz corpus from ../shared: QEMU's whole schemas (one entry per
 * release that holds one, named by the release: `7.2`) and QEMU's
 * front-end suites (`9.2-suite`: each input mutates one of its cases, with
 * the files cases include beside it), each with the command-line flags
 * that release's language needs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QemuRelease } from '../generator/source/language.js';
import { sharedReleasesWith } from './shared-data.js';

export interface CorpusEntry {
  /** As `--corpus` names it: '7.2' (the whole schema), '9.2-suite'. */
  readonly name: string;
  /** The release it comes from (whose front end judges it beside ours). */
  readonly release?: QemuRelease;
  /** The directory holding the schema files. */
  readonly dir: string;
  /** The root file's name inside `dir`. */
  readonly root: string;
  /** For a suite: its cases, one of which each input takes as its root
   *  (and mutates rather than the other files, three times in four). */
  readonly roots?: readonly string[];
  /** Every schema file of the release, by name. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Flags `qapi-ts check` needs for this release's language. */
  readonly cliArgs: readonly string[];
}

export class CorpusError extends Error {}

/** The corpus names `sharedDir` offers: every whole schema, then every
 *  suite, oldest release first. */
export function corpusReleases(sharedDir: string): string[] {
  return [...sharedReleasesWith('schema', sharedDir).map((r) => r.release), ...sharedReleasesWith('suite', sharedDir).map((r) => `${r.release}-suite`)];
}

/** The `.json` files under `dir` (its subfolders too), by relative name. */
function jsonFiles(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [sub, bytes] of jsonFiles(path, `${prefix}${name}/`)) files.set(sub, bytes);
    else if (name.endsWith('.json')) files.set(`${prefix}${name}`, readFileSync(path));
  }
  return files;
}

/** A suite's cases: the files with an expected output or error beside them
 *  (the others are only included by cases). */
function suiteCases(dir: string, files: ReadonlyMap<string, Buffer>): string[] {
  const nonEmpty = (name: string): boolean => {
    try {
      return statSync(join(dir, name)).size > 0;
    } catch {
      return false;
    }
  };
  return [...files.keys()].filter((name) => !name.includes('/') && [`.err`, `.out`].some((ext) => nonEmpty(name.replace(/\.json$/, ext))));
}

/** Loads the named corpora (all when `names` is empty) from `sharedDir`. */
export function loadCorpus(sharedDir: string, names: readonly string[] = []): CorpusEntry[] {
  const schemas = sharedReleasesWith('schema', sharedDir);
  const suites = sharedReleasesWith('suite', sharedDir);
  if (schemas.length === 0) throw new CorpusError(`no QEMU schema in ${sharedDir} (QEMU's schemas are expected in its qemu-X.Y folders)`);
  const offered = corpusReleases(sharedDir);
  const unknown = names.filter((n) => !offered.includes(n));
  if (unknown.length > 0) throw new CorpusError(`unknown corpus ${unknown.map((n) => `'${n}'`).join(', ')}: choose from ${offered.join(', ')}`);
  const wanted = (name: string): boolean => names.length === 0 || names.includes(name);
  const entries: CorpusEntry[] = [];
  for (const { release, schema, flags } of schemas) {
    if (!wanted(release)) continue;
    const files = new Map<string, Buffer>();
    for (const name of readdirSync(schema.dir).sort()) {
      if (name.endsWith('.json')) files.set(name, readFileSync(join(schema.dir, name)));
    }
    entries.push({ name: release, release, dir: schema.dir, root: 'qapi-schema.json', files, cliArgs: flags });
  }
  for (const { release, suite, flags } of suites) {
    if (!wanted(`${release}-suite`)) continue;
    const files = jsonFiles(suite);
    const roots = suiteCases(suite, files);
    if (roots.length === 0) continue;
    entries.push({ name: `${release}-suite`, release, dir: suite, root: roots[0]!, roots, files, cliArgs: flags });
  }
  return entries;
}
