/**
 * Setup file of the unit tier, which runs on the sources in the test's own
 * process, with no build: every way of starting a process
 * (node:child_process) is replaced by one that throws, naming the test file
 * and the tiers that may start processes.  So a test that needs the built
 * CLI, a compiler or QEMU cannot pass in the unit tier by reading a stale
 * dist/ or by slowing the loop down; it fails until its name carries its
 * tier (test/setup/tiers.ts).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { relative } from 'node:path';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { TIERS } from './tiers.js';

/** The functions of node:child_process that start a process. */
export const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

export class ProcessInUnitTierError extends Error {
  override readonly name = 'ProcessInUnitTierError';
}

function refuse(starter: string, command: unknown): never {
  const file = expect.getState().testPath;
  const where = file === undefined ? 'a unit test' : relative(PROJECT_ROOT, file);
  const others = TIERS.filter((t) => t.needs === 'build').map((t) => `.${t.name}.test.ts`);
  throw new ProcessInUnitTierError(
    `${where} started a process (${starter} ${String(command)}), which the unit tier does not do: ` +
      `it runs on the sources in one process.  Name the file for the tier it needs (${others.join(', ')}; see docs/development.md)`,
  );
}

const childProcess = createRequire(import.meta.url)('node:child_process') as Record<string, unknown>;
for (const starter of STARTERS) {
  childProcess[starter] = (command: unknown) => refuse(starter, command);
}
// Modules that imported the functions by name see the replacements too.
syncBuiltinESMExports();
