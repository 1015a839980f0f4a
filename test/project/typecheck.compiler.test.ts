/**
 * The project's own sources, tests included, compile under its strict
 * tsconfig.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('the project', () => {
  it('type-checks with tsc --noEmit under strict settings', () => {
    const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(PROJECT_ROOT, 'tsconfig.json'), '--noEmit'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);
});
