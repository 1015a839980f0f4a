/**
 * The fuzz corpus: QEMU's whole schemas from ../shared, one entry per
 * release that holds one, each with the command-line flags that release's
 * language needs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedReleasesWith } from './shared-data.js';

export interface CorpusEntry {
  /** The release, as `--corpus` names it: '7.2'. */
  readonly name: string;
  /** The directory holding the schema files. */
  readonly dir: string;
  /** The root file's name inside `dir`. */
  readonly root: string;
  /** Every schema file of the release, by name. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Flags `qapi-ts check` needs for this release's language. */
  readonly cliArgs: readonly string[];
}

export class CorpusError extends Error {}

/** The releases whose whole schema `sharedDir` holds, oldest first. */
export function corpusReleases(sharedDir: string): string[] {
  return sharedReleasesWith('schema', sharedDir).map((r) => r.release);
}

/** Loads the named releases (all when `names` is empty) from `sharedDir`. */
export function loadCorpus(sharedDir: string, names: readonly string[] = []): CorpusEntry[] {
  const releases = sharedReleasesWith('schema', sharedDir);
  if (releases.length === 0) throw new CorpusError(`no QEMU schema in ${sharedDir} (QEMU's schemas are expected in its qemu-X.Y folders)`);
  const unknown = names.filter((n) => !releases.some((r) => r.release === n));
  if (unknown.length > 0) {
    throw new CorpusError(`unknown corpus ${unknown.map((n) => `'${n}'`).join(', ')}: choose from ${releases.map((r) => r.release).join(', ')}`);
  }
  const chosen = names.length === 0 ? releases : releases.filter((r) => names.includes(r.release));
  return chosen.map(({ release, schema, flags }) => {
    const files = new Map<string, Buffer>();
    for (const name of readdirSync(schema.dir).sort()) {
      if (name.endsWith('.json')) files.set(name, readFileSync(join(schema.dir, name)));
    }
    return { name: release, dir: schema.dir, root: 'qapi-schema.json', files, cliArgs: flags };
  });
}
