/**
 * What `npm pack` ships: the CLI, the runtime, their types, the grammar's
 * parser, the embedded schema and templates; no tests, fixtures, benchmarks
 * or examples.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

interface PackEntry {
  readonly path: string;
}

// The project is already built (npm ci runs prepare); listing must not
// rebuild dist/ under the other tests' feet.
const listing = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, encoding: 'utf8' }),
) as { files: PackEntry[]; entryCount: number }[];
const files = listing[0]!.files.map((f) => f.path).sort();

describe('the packed tarball', () => {
  it('holds only the package: built code, types, schema, templates', () => {
    const allowed = [/^package\.json$/, /^README\.md$/, /^dist\/(generator|runtime|grammar)\/.+\.(js|d\.ts)$/, /^schema\/[^/]+\.json$/, /^templates\/[^/]+$/];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
  });

  it('has the CLI, the runtime entry point with its types, and the embedded schema', () => {
    for (const needed of [
      'dist/generator/cli/main.js',
      'dist/generator/index.js',
      'dist/generator/index.d.ts',
      'dist/runtime/index.js',
      'dist/runtime/index.d.ts',
      'dist/grammar/parser.js',
      'schema/qapi-ts-default.json',
      'templates/header.txt',
    ]) {
      expect(files).toContain(needed);
    }
  });

  it('leaves out tests, fixtures, benchmarks, examples and sources', () => {
    const unwanted = files.filter((f) => /(^|\/)(test|tests|fixtures|bench|examples|generated)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('templates/')));
    expect(unwanted).toEqual([]);
  });
});
