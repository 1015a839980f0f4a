/**
 * One room per stage: each part of generator/ imports only what comes
 * before it.  Shared pieces live in the leaf folders (source/, common/);
 * the grammar's parse stage and the doc-comment parser do not know each
 * other; the model knows neither the parse nor the shape stage.
 * Introspection, drift and diff read the model and what it is built from;
 * so does the span stage (span/), which merges the models of releases.
 * The selection (select/) and the settings table (settings/) come before
 * the outputs that use them (emit/, jsonschema/); the input resolver
 * (input/) joins the front end and introspection; backends/ wrap the
 * outputs; generate.ts joins input and backends; the CLI comes last and
 * nothing imports it.  Parts are folders, or the files at generator/'s top
 * (frontend.ts, generate.ts, ...), named without their extension.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

const GENERATOR = join(PROJECT_ROOT, 'generator');

/** The parts of generator/ each part may import from (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  source: [],
  common: ['source', 'doc'],
  doc: ['source'],
  parse: ['source', 'common'],
  shape: ['source', 'common', 'parse', 'doc'],
  model: ['source', 'common', 'doc'],
  frontend: ['source', 'doc', 'parse', 'shape', 'model', 'frontend-cache'],
  // What a long-running caller keeps between the front end's loads.
  'frontend-cache': ['source', 'common', 'doc', 'parse'],
  dump: ['source', 'common', 'doc', 'model'],
  // Introspection is a second way into the model, beside the schema files.
  introspect: ['source', 'common', 'doc', 'model'],
  compare: ['source', 'common', 'model'],
  // A span merges models (of schemas or captures, each read by the input
  // resolver), for the outputs: after the model, before emit/ and input/.
  span: ['source', 'common', 'doc', 'model'],
  'embedded-schema': ['package-root'],
  'package-root': [],
  select: ['source', 'common', 'model'],
  settings: [],
  jsonschema: ['source', 'common', 'model', 'select'],
  emit: ['source', 'common', 'doc', 'model', 'select', 'settings', 'package-root', 'span'],
  // Every way into a model, and the files each read.
  input: ['source', 'common', 'doc', 'model', 'introspect', 'frontend-cache', 'frontend', 'embedded-schema', 'span'],
  backends: ['source', 'model', 'select', 'settings', 'emit', 'jsonschema', 'input'],
  generate: ['source', 'model', 'select', 'settings', 'input', 'backends'],
};

/** The part of generator/ a path lies in: its top folder, or its top file's name. */
function partOf(path: string): string | null {
  const rel = relative(GENERATOR, path);
  if (rel.startsWith('..')) return null;
  const [top, ...rest] = rel.split(sep);
  return rest.length === 0 ? top!.replace(/\.(?:ts|js)$/, '') : top!;
}

function sourcesOf(part: string): string[] {
  const folder = join(GENERATOR, part);
  if (existsSync(`${folder}.ts`)) return [`${folder}.ts`];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => join(folder, f))
    .filter((f) => f.endsWith('.ts') && statSync(f).isFile());
}

/** [importing file, imported part] for every relative import of a part. */
function importsOf(part: string): [string, string][] {
  return sourcesOf(part).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)]
      .map((m) => partOf(resolve(dirname(file), m[1]!)))
      .filter((to): to is string => to !== null && to !== part)
      .map((to) => [relative(GENERATOR, file), to] as [string, string]),
  );
}

describe.each(Object.entries(ALLOWED))('generator/%s', (part, allowed) => {
  it(`imports only from ${allowed.length === 0 ? 'itself' : allowed.join(', ')}`, () => {
    expect(sourcesOf(part).length).toBeGreaterThan(0);
    expect(importsOf(part).filter(([, to]) => !allowed.includes(to))).toEqual([]);
  });
});

describe('generator/', () => {
  it('has no part this test does not place, but the CLI and the library entry (which may import anything)', () => {
    const parts = readdirSync(GENERATOR).map((f) => f.replace(/\.ts$/, ''));
    expect(parts.filter((p) => !Object.hasOwn(ALLOWED, p) && p !== 'cli' && p !== 'index')).toEqual([]);
  });

  it('nothing imports the CLI', () => {
    const importers = Object.keys(ALLOWED).flatMap((p) => importsOf(p).filter(([, to]) => to === 'cli'));
    expect(importers).toEqual([]);
  });
});
