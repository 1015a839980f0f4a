/**
 * What `npm pack` ships, for each of the two packages: qapi-ts (the CLI, its
 * library, the grammar's parser, the embedded schema and templates) and
 * qapi-ts-runtime (the QMP client and validators generated code imports);
 * no tests, fixtures, benchmarks, examples or sources in either.  The
 * runtime depends on nothing of the generator's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packedFiles, type Tarballs } from '../helpers/packed.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly exports: Record<string, unknown>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

const RUNTIME_DIR = join(PROJECT_ROOT, 'runtime');
/** What only generating code needs: never a dependency of the runtime. */
const GENERATOR_ONLY = ['prettier', 'ts-morph', 'peggy', 'commander', 'cli-progress'];

const packages: readonly { name: string; packed: keyof Tarballs; dir: string; allowed: readonly RegExp[]; needed: readonly string[] }[] = [
  {
    name: 'qapi-ts',
    packed: 'generator',
    dir: PROJECT_ROOT,
    allowed: [
      /^package\.json$/,
      /^README\.md$/,
      /^dist\/(generator|grammar)\/.+\.(js|d\.ts)$/,
      // The CLI bundled in one file, check's own bundle, and V8's code cache of each for the V8 that built it.
      /^dist\/generator\/cli\/qapi-ts(-check)?\.cjs(\.v8-[\w.-]+\.cache)?$/,
      // The bin: the entry and its loader as one CommonJS file.
      /^dist\/generator\/cli\/main\.cjs$/,
      /^schema\/[^/]+\.json$/,
      /^templates\/[^/]+\/[^/]+\.txt$/,
    ],
    needed: [
      'dist/generator/cli/main.js',
      'dist/generator/cli/main.cjs',
      'dist/generator/cli/qapi-ts.cjs',
      'dist/generator/cli/qapi-ts-check.cjs',
      'dist/generator/index.js',
      'dist/generator/index.d.ts',
      'dist/grammar/parser.js',
      'schema/qapi-ts-default.json',
      'templates/typescript/header.txt',
      'templates/typescript/declarations.txt',
    ],
  },
  {
    name: 'qapi-ts-runtime',
    packed: 'runtime',
    dir: RUNTIME_DIR,
    allowed: [/^package\.json$/, /^README\.md$/, /^dist\/(testing\/)?[^/]+\.(js|d\.ts)$/],
    needed: ['dist/index.js', 'dist/index.d.ts', 'dist/type-rules.js', 'dist/type-rules.d.ts', 'dist/testing.js', 'dist/testing.d.ts', 'dist/testing/peer.js', 'dist/launch.js', 'dist/launch.d.ts', 'README.md'],
  },
];

describe.each(packages)('the packed $name', ({ name, packed, dir, allowed, needed }) => {
  // What its tarball holds: packed once from the build as it is, without
  // its scripts (npm ci has built it), and shared (test/helpers/packed.ts).
  const files = packedFiles(packed);

  it('is the package it says it is', () => {
    expect(manifest(dir).name).toBe(name);
  });

  it('holds only the package: built code, types and what it reads at run time', () => {
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
  });

  it('has its entry points with their types', () => {
    for (const file of needed) expect(files).toContain(file);
  });

  it('leaves out tests, fixtures, benchmarks, examples and sources', () => {
    const unwanted = files.filter(
      (f) => /(^|\/)(test|tests|fixtures|bench|examples|generated)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('templates/')),
    );
    expect(unwanted).toEqual([]);
  });
});

describe('the two packages together', () => {
  const generator = manifest(PROJECT_ROOT);
  const runtime = manifest(RUNTIME_DIR);

  it('the runtime depends on nothing the generator uses to generate (only lossless-json, for exact 64-bit integers)', () => {
    expect(Object.keys(runtime.dependencies ?? {})).toEqual(['lossless-json']);
    expect(Object.keys(runtime.dependencies ?? {}).filter((d) => GENERATOR_ONLY.includes(d))).toEqual([]);
  });

  it('the generator depends on the runtime, at a range its version satisfies', () => {
    const range = generator.dependencies?.['qapi-ts-runtime'];
    expect(range).toBe(`^${runtime.version}`);
  });

  it('the runtime is imported from its own package only: qapi-ts has no ./runtime entry', () => {
    // './package.json' is how qapi-ts finds its own files (generator/package-root.ts).
    expect(Object.keys(generator.exports)).toEqual(['.', './package.json']);
    expect(Object.keys(runtime.exports).sort()).toEqual(['.', './launch', './package.json', './testing', './type-rules']);
  });
});
