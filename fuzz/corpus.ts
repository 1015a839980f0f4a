/**
 * The fuzz corpus: QEMU's whole schemas from ../shared, one entry per
 * release, each with the command-line flags that release's language needs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

interface Release {
  readonly name: string;
  /** Folder under ../shared holding the schema. */
  readonly folder: string;
  readonly cliArgs: readonly string[];
}

/** The releases whose whole schema ../shared holds. */
export const RELEASES: readonly Release[] = [
  { name: '1.3', folder: 'qemu-1.3', cliArgs: ['--legacy'] },
  { name: '7.2', folder: 'qemu-7.2/qapi', cliArgs: ['--qemu-version', '7.2'] },
  { name: '8.2', folder: 'qemu-8.2/qapi', cliArgs: ['--qemu-version', '8.2'] },
  { name: '10.0', folder: 'qemu-10.0/qapi', cliArgs: ['--qemu-version', '10.0'] },
  { name: '10.2', folder: 'qemu-10.2/qapi', cliArgs: ['--qemu-version', '10.2'] },
];

export class CorpusError extends Error {}

/** Loads the named releases (all when `names` is empty) from `sharedDir`. */
export function loadCorpus(sharedDir: string, names: readonly string[] = []): CorpusEntry[] {
  const unknown = names.filter((n) => !RELEASES.some((r) => r.name === n));
  if (unknown.length > 0) {
    throw new CorpusError(`unknown corpus ${unknown.map((n) => `'${n}'`).join(', ')}: choose from ${RELEASES.map((r) => r.name).join(', ')}`);
  }
  const chosen = names.length === 0 ? RELEASES : RELEASES.filter((r) => names.includes(r.name));
  return chosen.map((release) => {
    const dir = resolve(sharedDir, release.folder);
    if (!existsSync(join(dir, 'qapi-schema.json'))) {
      throw new CorpusError(`corpus ${release.name}: ${dir}/qapi-schema.json is missing (QEMU's schemas are expected in ${sharedDir})`);
    }
    const files = new Map<string, Buffer>();
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.json')) files.set(name, readFileSync(join(dir, name)));
    }
    return { name: release.name, dir, root: 'qapi-schema.json', files, cliArgs: release.cliArgs };
  });
}
