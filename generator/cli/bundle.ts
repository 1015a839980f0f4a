/**
 * How main.js loads the CLI: from one file build/bundle.mjs bundles it
 * into, beside this module, compiled with V8's code cache where the build
 * made one for this V8; from the modules where there is no bundle (a
 * build without that step).  A short run spends a good part of its time
 * loading code, and one file read and a cache accepted halve it
 * (build/bundle.mjs says why).
 *
 * There are two bundles, each with its cache: the whole CLI
 * (qapi-ts.cjs, from program.js), and `check`'s own (qapi-ts-check.cjs,
 * from check-program.js), which holds the front end and not the other
 * verbs' code: 0.55 of the whole's text, its cache trained on checks
 * alone 0.48 of the whole's (353 against 736 KB).  A check reads its
 * bundle and cache whole before it starts: QEMU 7.2's, 127.7 -> 125.8 ms
 * (medians of 61 paired runs) against the whole CLI with a cache of its
 * own trained on checks.
 *
 * A bundle is CommonJS, run as Node runs a CommonJS module (the same
 * wrapper, `require` made for its place), through node:vm because only a
 * vm.Script takes a code cache on Node 20.  A cache is made by one V8 for
 * itself (its version is in the file's name) and under the flags of the
 * runs that load it: V8 refuses it otherwise, and the bundle is compiled
 * as it runs.  Where the build made no cache for the running V8 (a
 * package built under another Node), the bundle is compiled as it runs.
 * Node's own compile cache (22.1 on) is not turned on for it: it keeps its
 * files in a folder under the temporary directory, and a run leaves
 * nothing behind.
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

/** Which bundle: `check`'s own, or the whole CLI. */
export type BundleKind = 'check' | 'cli';

/** The bundle of `kind`. */
export function bundleFile(kind: BundleKind): string {
  return join(here, kind === 'check' ? 'qapi-ts-check.cjs' : 'qapi-ts.cjs');
}

/** The code cache of the bundle of `kind` for the running V8. */
export function codeCacheFile(kind: BundleKind): string {
  return `${bundleFile(kind)}.v8-${process.versions.v8}.cache`;
}

/** The bundle a command line loads: `check`'s own for a check (a short
 *  run, with its flags), the whole CLI for the rest.  Each cache is made
 *  under the V8 flags of the runs that load it (v8-flags.ts), and a long
 *  run's flags are those of neither. */
export function bundleKindFor(argv: readonly string[]): BundleKind {
  return runKindOf(argv) === 'check' ? 'check' : 'cli';
}

export interface LoadedCli {
  readonly runCli: typeof RunCli;
  /** Where the code came from. */
  readonly from: 'bundle' | 'modules';
  /** The bundle tried. */
  readonly kind: BundleKind;
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

/** Compiles and runs the bundle of `kind`; null where there is none. */
function runBundle(kind: BundleKind, cachedData: Buffer | undefined): { exports: { runCli: typeof RunCli }; script: Script } | null {
  const file = bundleFile(kind);
  const source = readOrNull(file);
  if (source === null) return null;
  // Node's own CommonJS wrapper, on one line so that line numbers stay.
  // The build made the bundle ASCII (build/bundle.mjs): read as Latin-1,
  // its text is made without decoding, one byte a character.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.toString('latin1')}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as { runCli: typeof RunCli } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, nodeModule.createRequire(file), module, file, here);
  return { exports: module.exports, script };
}

/** Loads the CLI to run `argv`: the bundle for it, with its code cache. */
export async function loadCli(argv: readonly string[]): Promise<LoadedCli> {
  const kind = bundleKindFor(argv);
  const cachedData = readOrNull(codeCacheFile(kind)) ?? undefined;
  const bundle = runBundle(kind, cachedData);
  if (bundle === null) return { runCli: (await import('./program.js')).runCli, from: 'modules', kind, cache: 'absent' };
  const cache = cachedData === undefined ? 'absent' : bundle.script.cachedDataRejected === true ? 'rejected' : 'accepted';
  return { runCli: bundle.exports.runCli, from: 'bundle', kind, cache };
}

/**
 * Makes the code cache of the bundle of `kind` (build/bundle.mjs runs
 * this in a process of its own for each, with the V8 flags of the runs
 * that load it already set): the bundle runs the command lines given, so
 * that the functions they call are compiled, and V8's compiled code is
 * written beside it.
 */
export async function makeCodeCache(kind: BundleKind, commandLines: readonly (readonly string[])[]): Promise<void> {
  const bundle = runBundle(kind, undefined);
  if (bundle === null) throw new Error(`no bundle at ${bundleFile(kind)}: run build/bundle.mjs`);
  for (const argv of commandLines) {
    let said = '';
    const io: CliIo = { stdout: () => undefined, stderr: (text) => void (said += text), stdoutIsTTY: false };
    const code = await bundle.exports.runCli(argv, io);
    if (code !== 0) throw new Error(`making the code cache: 'qapi-ts ${argv.join(' ')}' exited with ${code}:\n${said}`);
  }
  writeFileSync(codeCacheFile(kind), bundle.script.createCachedData());
}
