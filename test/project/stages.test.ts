/**
 * The front end's stages import only what comes before them: shared
 * pieces live in the leaf folders (source/, common/), the grammar's parse
 * stage and the doc-comment parser do not know each other, and the model
 * knows neither the parse nor the shape stage.  Introspection, drift and
 * diff, spans and JSON Schema read the model and what it is built from,
 * never the front end's stages or the emitter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

const GENERATOR = join(PROJECT_ROOT, 'generator');

/** The generator folders each folder may import from (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  source: [],
  common: ['source', 'doc'],
  doc: ['source'],
  parse: ['source', 'common'],
  shape: ['source', 'common', 'parse', 'doc'],
  model: ['source', 'common', 'doc'],
  dump: ['source', 'common', 'doc', 'model'],
  // Introspection is a second way into the model, beside the schema files.
  introspect: ['source', 'common', 'doc', 'model'],
  compare: ['source', 'common', 'model'],
  // A span merges models (of schemas or captures): after them, before the emitters.
  span: ['source', 'common', 'doc', 'model'],
  jsonschema: ['source', 'common', 'model'],
};

function importsOf(folder: string): [string, string][] {
  const dir = join(GENERATOR, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)].map((m) => [`${folder}/${f}`, m[1]!] as [string, string]),
    );
}

describe.each(Object.entries(ALLOWED))('generator/%s', (folder, allowed) => {
  it(`imports only from ${allowed.length === 0 ? 'itself' : allowed.join(', ')}`, () => {
    const imports = importsOf(folder);
    expect(imports.length + readdirSync(join(GENERATOR, folder)).length).toBeGreaterThan(0);
    expect(imports.filter(([, to]) => !allowed.includes(to))).toEqual([]);
  });
});
