/**
 * Bindings generated from a QEMU release's whole schema, for the
 * end-to-end tests.
 *
 * They are generated at test time with the project's CLI (dist/, so
 * `npm run build` first; `npm ci` does it) into test/.out-e2e-<release>/
 * inside the repository, so that their `qapi-ts-runtime` import resolves
 * to this workspace's runtime. Several test files may ask at once: a lock directory
 * serializes the runs, and the generator only rewrites files whose
 * content changed, so a file already imported by one worker is not
 * touched by another's run.  A run records the build it was made with
 * (dist/'s stamp, build/stamp.mjs) and its arguments in the output folder;
 * the next file that asks, in this run or a later one, finds them equal
 * and imports the output without generating it again.
 *
 * The tests' types come from the generated declarations themselves
 * (bindings72.ts, bindings100.ts import them), so the end-to-end tests are
 * type-checked after generating, with test/e2e/tsconfig.json
 * (test/project/typecheck.compiler.test.ts does both); the project's own tsconfig
 * leaves them out.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { readStamp } from '../../../build/stamp.mjs';
import { releaseFlags, type QemuRelease } from '../../../generator/source/language.js';
import { PROJECT_ROOT, SHARED } from '../../helpers/shared.js';
import { runNode } from '../../helpers/tsc.js';
import { E2eScope } from './scope.js';

/** Which bindings: a release's whole QMP schema, in that release's language. */
export interface BindingsSpec {
  readonly release: QemuRelease;
}

const CLI = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js');
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

/** The schema a spec's bindings are generated from, within ../shared. */
export function schemaOf(spec: BindingsSpec): string {
  return `qemu-${spec.release}/qapi/qapi-schema.json`;
}

/** Where a spec's bindings are written. */
export function outDirOf(spec: BindingsSpec): string {
  return join(PROJECT_ROOT, 'test', `.out-e2e-${spec.release.replace('.', '')}`);
}

function lockIsStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Generates a release's bindings (or confirms them up to date); returns
 *  their folder. */
export async function generateBindings(spec: BindingsSpec): Promise<string> {
  for (const needed of [CLI, join(PROJECT_ROOT, 'runtime', 'dist', 'index.js')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run build\` before the end-to-end tests`);
  }
  const out = outDirOf(spec);
  const args = ['generate', join(SHARED, schemaOf(spec)), ...releaseFlags(spec.release), '-o', out];
  // What made the output: the build's stamp and the arguments.
  const made = JSON.stringify({ build: readStamp(join(PROJECT_ROOT, 'dist')), args });
  const record = join(out, '.made-by.json');
  await withLock(`${out}.lock`, async () => {
    if (existsSync(join(out, 'index.js')) && existsSync(record) && readFileSync(record, 'utf8') === made) return;
    rmSync(record, { force: true });
    const result = await runNode([CLI, ...args]);
    if (result.code !== 0) throw new Error(`generating the QEMU ${spec.release} bindings failed (${result.code}): ${result.output}`);
    writeFileSync(record, made);
  });
  return out;
}

/** Generates (or confirms up to date) and imports a release's bindings. */
export async function loadBindings<B>(spec: BindingsSpec): Promise<B> {
  const out = await generateBindings(spec);
  return (await import(join(out, 'index.js'))) as B;
}

/**
 * For a describe block: a release's bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings<B>(spec: BindingsSpec): { readonly bindings: B; readonly scope: E2eScope } {
  const state = {} as { bindings: B; scope: E2eScope };
  beforeAll(async () => {
    state.bindings = await loadBindings<B>(spec);
  }, 180_000);
  beforeEach(() => {
    state.scope = new E2eScope();
  });
  afterEach(async () => {
    await state.scope.dispose();
  });
  return state;
}
