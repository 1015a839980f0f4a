/**
 * The suite's tiers: which test files run together, and what each needs
 * before it runs.  A test file's tier is written in its name, as the word
 * before `.test.ts`:
 *
 *     test/runtime/json.test.ts          unit (no word)
 *     test/emit/write.process.test.ts    process
 *     test/e2e/killed.qemu.test.ts       qemu
 *
 * so a new file lands in a tier by its name alone, and nobody keeps a list.
 * vitest.config.ts makes one vitest project of each tier from this table;
 * test/project/tiers.test.ts asks vitest which project each test file falls
 * in and fails for a file in none (`x.spec.ts`, `x.test.mts`, an unknown
 * word such as `x.slow.test.ts`) or in two, and that docs/development.md's
 * table of tiers says what this one says.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const TIER_NAMES = ['unit', 'process', 'compiler', 'qemu', 'fuzz', 'nodes'] as const;
export type TierName = (typeof TIER_NAMES)[number];

export interface Tier {
  readonly name: TierName;
  /** What a test in this tier may use: the rule for choosing a file's tier
   *  (docs/development.md's table of tiers shows these words, markdown and all). */
  readonly uses: string;
  /**
   * What must be ready before its tests run: `grammar`, the parser compiled
   * from grammar/qapi.peggy (which the sources import); `build`, the whole
   * build (dist/ and runtime/dist/), rebuilt only where its stamp is not
   * the working tree's (test/setup/build.ts).
   */
  readonly needs: 'grammar' | 'build';
}

export const TIERS: readonly Tier[] = [
  {
    name: 'unit',
    uses: "the sources, in the test's own process: no build, no process started",
    needs: 'grammar',
  },
  {
    name: 'process',
    uses: 'the build (`dist/`, `runtime/dist/`): the built CLI and other processes (node, npm), or modules loaded from `dist/`',
    needs: 'build',
  },
  {
    name: 'compiler',
    uses: "TypeScript's compilers over whole programs (tsc 5 and 7, or a language service in-process) and prettier over generated code, the references it is held to",
    needs: 'build',
  },
  {
    name: 'qemu',
    uses: 'real QEMU: `qemu-system-x86_64`, `qemu-storage-daemon`, `qemu-img`, `qemu-io` (`test/helpers/qemu.ts`)',
    needs: 'build',
  },
  {
    name: 'fuzz',
    uses: "the fuzzer's pools of worker processes, and QEMU's own Python front end beside qapi-ts's",
    needs: 'build',
  },
  {
    name: 'nodes',
    uses: 'the tests of the code that talks to Node (runtime, CLI, writer, packages), again under other Node releases (below)',
    needs: 'build',
  },
];

/** Where test files live, and how their names end. */
export const TEST_ROOT = 'test';
const TEST_SUFFIX = '.test.ts';

/** How a tier's test files are named. */
export function tierFileName(tier: TierName): string {
  return tier === 'unit' ? `NAME${TEST_SUFFIX}` : `NAME.${tier}${TEST_SUFFIX}`;
}

/** The glob of a tier's test files. */
export function tierInclude(tier: TierName): string {
  return tier === 'unit' ? `${TEST_ROOT}/**/*${TEST_SUFFIX}` : `${TEST_ROOT}/**/*.${tier}${TEST_SUFFIX}`;
}

/**
 * What a tier's glob also matches but is not of the tier: for unit, every
 * name with a word before `.test.ts`, known or not (an unknown word is in no
 * tier, and the tiers test says so, rather than running as a unit test).
 */
export function tierExclude(tier: TierName): string[] {
  return tier === 'unit' ? [`${TEST_ROOT}/**/*.*${TEST_SUFFIX}`] : [];
}

/**
 * The tier a file's name asks for, by the rule above, or null where the
 * name asks for none (not a `.test.ts` file, or an unknown word).
 */
export function tierOfName(path: string): TierName | null {
  const base = path.split('/').at(-1) ?? '';
  if (!base.endsWith(TEST_SUFFIX)) return null;
  const parts = base.slice(0, -TEST_SUFFIX.length).split('.');
  if (parts.length === 1) return 'unit';
  const word = parts.at(-1)!;
  return (TIER_NAMES as readonly string[]).includes(word) && word !== 'unit' ? (word as TierName) : null;
}

/** A name that looks like a test file to any test runner. */
const TEST_LIKE = /\.(test|spec)\.[cm]?[jt]sx?$/;
/** Folders that hold no tests of ours: installed packages, build output;
 *  and hidden ones (test/.out-* is what tests write). */
const NOT_SEARCHED = new Set(['node_modules', 'dist']);

/** Every file under `root` named like a test file, '/'-separated paths relative to `root`, sorted. */
export function testLikeFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || NOT_SEARCHED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testLikeFiles(root, path));
    else if (TEST_LIKE.test(entry.name)) out.push(relative(root, path).split(sep).join('/'));
  }
  return out.sort();
}
