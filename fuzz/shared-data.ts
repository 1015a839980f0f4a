/**
 * The reference data in ../shared, release by release, as found on disk:
 * the one list of the releases whose data the fuzzer, the benches and the
 * tests use.  A folder `qemu-X.Y` holds a release's data; what it holds is
 * read from its layout (see /work/shared/README.md):
 *
 *   qapi/qapi-schema.json (or qapi-schema.json)   the whole schema
 *   expected/qapi-schema.out                      QEMU's dump of it
 *   tests/qapi-schema/                            the front-end suite
 *   introspection/                                query-qmp-schema captures
 *   docs/qapi-code-gen.rst                        the language spec
 *
 * Each release is one of the language table's, which knows the flags that
 * select its language; a folder naming any other is an error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QEMU_RELEASES, releaseFlags, releaseOptions, type QemuRelease } from '../generator/source/language.js';
import { DEFAULT_SHARED } from './paths.js';

export interface SharedRelease {
  readonly release: QemuRelease;
  /** The release's folder. */
  readonly dir: string;
  /** The whole schema: the folder of its files, and its root file's path. */
  readonly schema: { readonly dir: string; readonly root: string } | null;
  /** QEMU's dump of the whole schema (`expected/qapi-schema.out`). */
  readonly expectedDump: string | null;
  /** The front-end suite's folder. */
  readonly suite: string | null;
  /** The folder of `query-qmp-schema` captures. */
  readonly introspection: string | null;
  /** The language specification. */
  readonly spec: string | null;
  /** The command-line arguments that select its language. */
  readonly flags: readonly string[];
  /** The loadSchema options that select its language. */
  readonly options: ReturnType<typeof releaseOptions>;
}

export class SharedDataError extends Error {}

const FOLDER = /^qemu-(\d+\.\d+)$/;

/** Every release `sharedDir` holds data for, oldest first (none when the
 *  folder is absent). */
export function sharedReleases(sharedDir: string = DEFAULT_SHARED): SharedRelease[] {
  if (!existsSync(sharedDir)) return [];
  const found = readdirSync(sharedDir)
    .filter((name) => FOLDER.test(name) && statSync(join(sharedDir, name)).isDirectory())
    .map((name) => {
      const release = FOLDER.exec(name)![1]!;
      if (!(QEMU_RELEASES as readonly string[]).includes(release)) {
        throw new SharedDataError(
          `${join(sharedDir, name)} holds data of QEMU ${release}, a release the language table (generator/source/language.ts) does not know`,
        );
      }
      return describe(join(sharedDir, name), release as QemuRelease);
    });
  return found.sort((a, b) => QEMU_RELEASES.indexOf(a.release) - QEMU_RELEASES.indexOf(b.release));
}

function describe(dir: string, release: QemuRelease): SharedRelease {
  const present = (...parts: string[]): string | null => {
    const path = join(dir, ...parts);
    return existsSync(path) ? path : null;
  };
  const schemaDir = present('qapi', 'qapi-schema.json') ? join(dir, 'qapi') : present('qapi-schema.json') ? dir : null;
  return {
    release,
    dir,
    schema: schemaDir === null ? null : { dir: schemaDir, root: join(schemaDir, 'qapi-schema.json') },
    expectedDump: present('expected', 'qapi-schema.out'),
    suite: present('tests', 'qapi-schema'),
    introspection: present('introspection'),
    spec: present('docs', 'qapi-code-gen.rst'),
    flags: releaseFlags(release),
    options: releaseOptions(release),
  };
}

/** The releases whose data includes `what`. */
export function sharedReleasesWith<K extends 'schema' | 'expectedDump' | 'suite' | 'introspection' | 'spec'>(
  what: K,
  sharedDir: string = DEFAULT_SHARED,
): (SharedRelease & { readonly [P in K]: NonNullable<SharedRelease[P]> })[] {
  return sharedReleases(sharedDir).filter((r) => r[what] !== null) as (SharedRelease & {
    readonly [P in K]: NonNullable<SharedRelease[P]>;
  })[];
}
