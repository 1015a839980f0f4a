/**
 * How main.js loads the CLI: from the one file build/bundle.mjs bundles it
 * into (qapi-ts.cjs, beside this module), compiled with V8's code cache
 * where the build made one for this V8; from the modules where there is no
 * bundle (a build without that step).  A short run spends a good part of
 * its time loading code, and one file read and a cache accepted halve it
 * (build/bundle.mjs says why).
 *
 * The bundle is CommonJS, run as Node runs a CommonJS module (the same
 * wrapper, `require` made for its place), through node:vm because only a
 * vm.Script takes a code cache on Node 20.  A cache is made by one V8 for
 * itself (its version is in the file's name) and under the flags of a
 * short run: V8 refuses it otherwise, and the bundle is compiled as it
 * runs.  Where the build made no cache for the running V8 (a package built
 * under another Node), the bundle is compiled as it runs.  Node's own
 * compile cache (22.1 on) is not turned on for it: it keeps its files in a
 * folder under the temporary directory, and a run leaves nothing behind.
 *
 * The build makes two caches: the whole CLI's, and `check`'s own, trained
 * on checks alone.  V8 reads a cache whole before the run starts, and
 * `check`'s is 60 % of the size (446 against 733 KB, 3.6 against 5.0 ms
 * to read); any other verb reads the whole CLI's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { CliIo } from './io.js';
import type { runCli as RunCli } from './program.js';
import { runKindOf } from './v8-flags.js';

const here = dirname(fileURLToPath(import.meta.url));
export const BUNDLE_FILE = join(here, 'qapi-ts.cjs');

/** What a code cache was trained on: `check` alone, or the whole CLI. */
export type CodeCacheKind = 'check' | 'cli';

/** The code cache of `kind` for the running V8. */
export function codeCacheFile(kind: CodeCacheKind): string {
  return join(here, `qapi-ts.cjs.v8-${process.versions.v8}${kind === 'check' ? '.check' : ''}.cache`);
}

/** The cache a command line loads: each is made under the V8 flags of
 *  the runs that load it (v8-flags.ts), and a long run's flags are those
 *  of neither. */
export function codeCacheKindFor(argv: readonly string[]): CodeCacheKind {
  return runKindOf(argv) === 'check' ? 'check' : 'cli';
}

export interface LoadedCli {
  readonly runCli: typeof RunCli;
  /** Where the code came from. */
  readonly from: 'bundle' | 'modules';
  /** The code cache tried. */
  readonly cacheKind: CodeCacheKind;
  /** What V8 made of the build's code cache ('absent': none for this V8). */
  readonly cache: 'accepted' | 'rejected' | 'absent';
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Compiles and runs the bundle; null where there is none. */
function runBundle(cachedData: Buffer | undefined): { exports: { runCli: typeof RunCli }; script: Script } | null {
  const source = readOrNull(BUNDLE_FILE);
  if (source === null) return null;
  // Node's own CommonJS wrapper, on one line so that line numbers stay.
  // The build made the bundle ASCII (build/bundle.mjs): read as Latin-1,
  // its text is made without decoding, one byte a character.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.toString('latin1')}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE_FILE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as { runCli: typeof RunCli } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, nodeModule.createRequire(BUNDLE_FILE), module, BUNDLE_FILE, here);
  return { exports: module.exports, script };
}

/** Loads the CLI to run `argv`, with the code cache for it. */
export async function loadCli(argv: readonly string[]): Promise<LoadedCli> {
  const cacheKind = codeCacheKindFor(argv);
  const cachedData = readOrNull(codeCacheFile(cacheKind)) ?? undefined;
  const bundle = runBundle(cachedData);
  if (bundle === null) return { runCli: (await import('./program.js')).runCli, from: 'modules', cacheKind, cache: 'absent' };
  const cache = cachedData === undefined ? 'absent' : bundle.script.cachedDataRejected === true ? 'rejected' : 'accepted';
  return { runCli: bundle.exports.runCli, from: 'bundle', cacheKind, cache };
}

/**
 * Makes the code cache of `kind` (build/bundle.mjs runs this in a process
 * of its own for each, with the V8 flags of the runs that load it already
 * set): the
 * bundle runs the command lines given, so that the functions they call are
 * compiled, and V8's compiled code is written beside it.
 */
export async function makeCodeCache(kind: CodeCacheKind, commandLines: readonly (readonly string[])[]): Promise<void> {
  const bundle = runBundle(undefined);
  if (bundle === null) throw new Error(`no bundle at ${BUNDLE_FILE}: run build/bundle.mjs`);
  for (const argv of commandLines) {
    let said = '';
    const io: CliIo = { stdout: () => undefined, stderr: (text) => void (said += text), stdoutIsTTY: false };
    const code = await bundle.exports.runCli(argv, io);
    if (code !== 0) throw new Error(`making the code cache: 'qapi-ts ${argv.join(' ')}' exited with ${code}:\n${said}`);
  }
  writeFileSync(codeCacheFile(kind), bundle.script.createCachedData());
}
