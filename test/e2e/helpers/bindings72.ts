/**
 * Bindings generated from QEMU 7.2's whole schema, for the end-to-end tests.
 *
 * They are generated at test time with the project's CLI (dist/, so
 * `npm run build` first; `npm ci` does it) into test/.out-e2e-72/ inside the
 * repository, so that their `qapi-ts-runtime` import resolves to this
 * workspace's runtime. Several test files may ask at once: a lock directory serializes
 * the runs, and the generator only rewrites files whose content changed, so
 * a file already imported by one worker is not touched by another's run.
 *
 * The generated files do not exist when the project is type-checked, so the
 * tests see them through the structural types below (the subset they use);
 * the generated declarations themselves are type-checked by test/emit.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QmpTransport, TypeRegistry } from 'qapi-ts-runtime';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { PROJECT_ROOT, SHARED } from '../../helpers/shared.js';
import { runNode } from '../../helpers/tsc.js';
import { E2eScope } from './scope.js';

export const SCHEMA_72 = join(SHARED, 'qemu-7.2', 'qapi', 'qapi-schema.json');
export const OUT_72 = join(PROJECT_ROOT, 'test', '.out-e2e-72');
const CLI = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js');
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

/** The 64-bit integers, as bindings generated with the default --int64 (bigint) hold them. */
type Count = bigint;

export interface BlockJobInfo72 {
  type: string;
  device: string;
  len: Count;
  offset: Count;
  busy: boolean;
  paused: boolean;
  speed: Count;
  ready: boolean;
  status: string;
  error?: string;
}

export interface BlockJobEventData72 {
  type: string;
  device: string;
  len: Count;
  offset: Count;
  speed: Count;
  error?: string;
}

/** The events the tests wait for, as 7.2's bindings type them. */
export type Events72 = {
  BLOCK_JOB_READY: BlockJobEventData72;
  BLOCK_JOB_COMPLETED: BlockJobEventData72;
  BLOCK_JOB_CANCELLED: BlockJobEventData72;
  BLOCK_JOB_ERROR: { device: string; operation: string; action: string };
  JOB_STATUS_CHANGE: { id: string; status: string };
};

export interface BlockCommitArguments72 {
  'job-id'?: string;
  device: string;
  'base-node'?: string;
  base?: string;
  'top-node'?: string;
  top?: string;
  'backing-file'?: string;
  speed?: Count;
  'on-error'?: 'report' | 'ignore' | 'enospc' | 'stop' | 'auto';
  'filter-node-name'?: string;
  'auto-finalize'?: boolean;
  'auto-dismiss'?: boolean;
}

export interface Commands72 {
  /** Any command by name, as CommandRunner runs it. */
  execute(name: string, args?: Record<string, unknown>): Promise<unknown>;
  blockCommit(args: BlockCommitArguments72): Promise<void>;
  blockJobComplete(args: { device: string }): Promise<void>;
  blockJobCancel(args: { device: string; force?: boolean }): Promise<void>;
  queryBlockJobs(): Promise<BlockJobInfo72[]>;
  queryNamedBlockNodes(args?: { flat?: boolean }): Promise<{ 'node-name': string; file: string; backing_file?: string }[]>;
  quit(): Promise<void>;
}

export interface Bindings72 {
  QmpCommands: new (transport: QmpTransport) => Commands72;
  registry: TypeRegistry<unknown, unknown, Events72>;
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

/**
 * Generates (or confirms up to date) the bindings of a whole QEMU schema
 * into `out`, with the project's CLI, and imports them.  `T` is what the
 * test sees of them (the files do not exist when the project is checked).
 */
export async function loadBindings<T>(schema: string, qemuVersion: string, out: string): Promise<T> {
  for (const needed of [CLI, join(PROJECT_ROOT, 'runtime', 'dist', 'index.js')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run build\` before the end-to-end tests`);
  }
  const result = await withLock(`${out}.lock`, () => runNode([CLI, 'generate', schema, '--qemu-version', qemuVersion, '-o', out]));
  if (result.code !== 0) throw new Error(`generating the QEMU ${qemuVersion} bindings failed (${result.code}): ${result.output}`);
  return (await import(join(out, 'index.ts'))) as T;
}

/** Generates (or confirms up to date) and imports the 7.2 bindings. */
export function loadBindings72(): Promise<Bindings72> {
  return loadBindings<Bindings72>(SCHEMA_72, '7.2', OUT_72);
}

/**
 * For a describe block: the 7.2 bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings72(): { readonly bindings: Bindings72; readonly scope: E2eScope } {
  const state = {} as { bindings: Bindings72; scope: E2eScope };
  beforeAll(async () => {
    state.bindings = await loadBindings72();
  }, 180_000);
  beforeEach(() => {
    state.scope = new E2eScope();
  });
  afterEach(async () => {
    await state.scope.dispose();
  });
  return state;
}
