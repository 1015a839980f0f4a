/**
 * The project's own sources, tests included, compile under its strict
 * tsconfig; so do the end-to-end tests, against the bindings they generate
 * from QEMU's schemas (their types come from those declarations).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBindings, schemaOf, type BindingsSpec } from '../e2e/helpers/bindings.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function typecheck(config: string): { stdout: string; status: number | null } {
  return spawnSync(process.execPath, [TSC, '-p', config, '--noEmit'], { encoding: 'utf8', timeout: 300_000 });
}

/** The releases whose bindings the end-to-end tests import types from. */
const E2E_BINDINGS: readonly BindingsSpec[] = [{ release: '7.2' }, { release: '10.0' }, { release: '10.2' }];

describe('the project', () => {
  it('type-checks with tsc --noEmit under strict settings', () => {
    const r = typecheck(join(PROJECT_ROOT, 'tsconfig.json'));
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);

  const schemas = E2E_BINDINGS.map((spec) => requireShared(schemaOf(spec), 'the end-to-end tests\' bindings'));
  it.skipIf(schemas.some((s) => !s.available))(
    'and its end-to-end tests type-check against the bindings generated from QEMU 7.2, 10.0 and 10.2',
    async () => {
      for (const spec of E2E_BINDINGS) await generateBindings(spec);
      const r = typecheck(join(PROJECT_ROOT, 'test', 'e2e', 'tsconfig.json'));
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    },
    300_000,
  );
});
