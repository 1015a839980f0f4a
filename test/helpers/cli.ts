/**
 * Runs the qapi-ts CLI: in-process (fast, for the many conformance cases)
 * or as the built command (for exit codes and what a user sees).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../generator/cli/program.js';
import { PROJECT_ROOT } from './shared.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** The package's bin (main.ts bundled as CommonJS by build/bundle.mjs). */
export const CLI_ENTRY = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.cjs');

/** Runs the built CLI (`npm run build` first, which `npm ci` does). */
export function runBuilt(args: readonly string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI_ENTRY, ...args], { cwd: options.cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The first `FILE:LINE` at the start of a line of `text`, or null. */
export function firstFileLine(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^([^\s:]+):(\d+)(?::\d+)?:/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return null;
}

/** One rule for what a stack trace looks like, shared with the fuzzer. */
export { hasStackTrace } from '../../fuzz/outcome.js';
