/**
 * Runs the project's own TypeScript compiler over generated bindings, as a
 * user's strict project would compile them.  Output directories live inside
 * the repository so that `qapi-ts-runtime` resolves (the workspace's
 * link to runtime/, whose build is runtime/dist/: `npm run build` first).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './shared.js';

const run = promisify(execFile);

export const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export const STRICT_FLAGS = [
  '--strict',
  '--noEmit',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--target',
  'es2022',
  '--types',
  'node',
  '--skipLibCheck',
  '--exactOptionalPropertyTypes',
  '--noUncheckedIndexedAccess',
  '--verbatimModuleSyntax',
];

export interface RunOutput {
  readonly code: number;
  readonly output: string;
}

/** Runs a node script to completion without blocking the test worker. */
export async function runNode(args: readonly string[], timeout = 180_000): Promise<RunOutput> {
  try {
    const r = await run(process.execPath, [...args], { cwd: PROJECT_ROOT, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

export function typecheck(files: readonly string[], extraFlags: readonly string[] = []): Promise<RunOutput> {
  return runNode([TSC, ...STRICT_FLAGS, ...extraFlags, ...files]);
}
