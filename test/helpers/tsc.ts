/**
 * Runs TypeScript compilers over generated bindings, as a user's strict
 * project would compile them: the project's own (5.x), and TypeScript 7,
 * the native compiler, which consumers build with too.  Output directories
 * live inside the repository so that `qapi-ts-runtime` resolves (the
 * workspace's link to runtime/, whose build is runtime/dist/: `npm run
 * build` first).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './shared.js';

const run = promisify(execFile);

export const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** TypeScript 7 (a dev dependency aliased `typescript7`). */
export const TSC7 = join(PROJECT_ROOT, 'node_modules', 'typescript7', 'bin', 'tsc');

/**
 * How the suite runs TypeScript 7, for its CPU: the suite keeps both cores
 * busy, so what a compiler spends on threads beside its work is taken from
 * the other tests.  On one thread (`--singleThreaded`): by default it
 * starts several checkers, each checking part of the files and each
 * resolving the libraries' types again (the bindings' run 33 -> 31 s of
 * its file's CPU; the project's type-check 3.5 -> 2.8 s).  And with Go's
 * collector run a fifth as often (GOGC=400: it collects when the heap has
 * grown by four times what the last collection kept, not once): the
 * bindings' program 4.7 -> 4.0 s of CPU, its peak 790 -> 840 MB.  The
 * diagnostics are the same either way.
 */
const TSC7_FLAGS = ['--singleThreaded'];
const TSC7_ENV = { GOGC: '400' };

/** Runs compiler `tsc` (TSC or TSC7) with `args`, as the suite runs it (runNode's other settings). */
export function runCompiler(tsc: string, args: readonly string[], timeout?: number): Promise<RunOutput> {
  if (tsc !== TSC7) return runNode([tsc, ...args], timeout);
  return runNode([tsc, ...TSC7_FLAGS, ...args], timeout, { env: { ...process.env, ...TSC7_ENV } });
}

/** The compilers bindings must compile under. */
export const COMPILERS = [
  { name: 'TypeScript 5', tsc: TSC },
  { name: 'TypeScript 7', tsc: TSC7 },
] as const;

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

/** Runs a node script to completion without blocking the test worker
 *  (in the repository, with this process's environment, unless `where` says otherwise). */
export async function runNode(args: readonly string[], timeout = 180_000, where: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<RunOutput> {
  try {
    const r = await run(process.execPath, [...args], { cwd: where.cwd ?? PROJECT_ROOT, env: where.env ?? process.env, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/**
 * Type-checks `files` with the strict flags under TypeScript 7, the native
 * compiler, which spends about a fifth of TypeScript 5's CPU on the same
 * bindings: the tests that hold what types mean (a mode's 64-bit integers,
 * names derived from introspection) check it once, and that every set of
 * bindings compiles under both compilers is test/emit/typecheck.compiler.test.ts's.
 * `--ignoreConfig`: TypeScript 7 refuses file names beside a tsconfig
 * (the repository's).
 */
export function typecheck(files: readonly string[], extraFlags: readonly string[] = []): Promise<RunOutput> {
  return runCompiler(TSC7, ['--ignoreConfig', ...STRICT_FLAGS, ...extraFlags, ...files]);
}

/** The strict settings consumers compile with, as tsconfig options (every
 *  compiler reads a project file the same way; TypeScript 7 refuses file
 *  names beside a tsconfig). */
export const CONSUMER_OPTIONS = {
  strict: true,
  module: 'nodenext',
  moduleResolution: 'nodenext',
  target: 'es2022',
  types: ['node'],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
};

/** The same, type-checking only. */
const STRICT_OPTIONS = { ...CONSUMER_OPTIONS, noEmit: true };

/**
 * Type-checks `files` as one project (written to `dir/tsconfig.NAME.json`)
 * with `tsc`: one compiler run for any number of sets of bindings.
 * `skipLibCheck: false` checks declaration files too (a `.d.ts` target's,
 * and the runtime's), but not the compiler's own `lib.*.d.ts`
 * (`skipDefaultLibCheck`): checking them says nothing of ours, and cost
 * TypeScript 5 about 1.3 s of CPU a run.
 */
export function typecheckProject(tsc: string, dir: string, name: string, files: readonly string[], skipLibCheck: boolean): Promise<RunOutput> {
  const config = join(dir, `tsconfig.${name}.json`);
  writeFileSync(config, `${JSON.stringify({ compilerOptions: { ...STRICT_OPTIONS, skipLibCheck, skipDefaultLibCheck: true }, files }, null, 2)}\n`);
  return runCompiler(tsc, ['-p', config], 600_000);
}
