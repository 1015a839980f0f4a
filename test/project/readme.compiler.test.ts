/**
 * The README's TypeScript example compiles against the embedded default
 * bindings (generated/), so the documentation cannot drift from the API.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('the README', () => {
  it('has a TypeScript example that type-checks under --strict', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(0);
    // Inside the repository, so that 'qapi-ts-runtime' resolves; the
    // example's bindings are generated/.
    const file = join(PROJECT_ROOT, 'test', '.out-readme-example.ts');
    writeFileSync(file, examples[0]!.replace("'./generated/index.js'", "'../generated/index.js'"));
    try {
      const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const flags = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck'];
      const r = spawnSync(process.execPath, [tsc, ...flags, file], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
  }, 120_000);
});
