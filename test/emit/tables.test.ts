/**
 * One source of truth for the run-time tables: buildTables(model) gives,
 * as plain values, exactly the tables the generated modules print; and the
 * engine names the generated index re-exports are the runtime's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { REEXPORTED_VALUES } from '../../generator/emit/naming/runtime-names.js';
import { loadSchema } from '../../generator/frontend.js';
import * as runtime from '../../runtime/index.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** Every printed table of a set of bindings, merged by name. */
function printedTables(bindings: Record<string, unknown>): { types: Map<string, unknown>; commands: Map<string, unknown> } {
  const types = new Map<string, unknown>();
  const commands = new Map<string, unknown>();
  for (const [name, value] of Object.entries(bindings)) {
    if (!Array.isArray(value)) continue;
    const into = /Types$/.test(name) ? types : /Commands$/.test(name) ? commands : null;
    for (const [key, row] of into ? (value as [string, unknown][]) : []) into?.set(key, row);
  }
  return { types, commands };
}

const cases = [
  {
    name: 'golden',
    schema: join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'),
    legacy: false,
    qemuVersion: '7.2',
    bindings: '../fixtures/golden/expected/index.js',
  },
  {
    name: 'golden-legacy',
    schema: join(PROJECT_ROOT, 'test', 'fixtures', 'golden-legacy', 'schema.json'),
    legacy: true,
    qemuVersion: undefined,
    bindings: '../fixtures/golden-legacy/expected/index.js',
  },
  { name: 'default', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true, qemuVersion: undefined, bindings: '../../generated/index.js' },
];

describe.each(cases)('buildTables: $name', ({ schema, legacy, qemuVersion, bindings }) => {
  it('builds the tables the generated modules print', async () => {
    const printed = printedTables((await import(bindings)) as Record<string, unknown>);
    const built = buildTables(loadSchema(schema, { legacy, qemuVersion }).model);
    expect(printed.types.size).toBeGreaterThan(0);
    expect(new Map(built.types)).toEqual(printed.types);
    expect(new Map(built.commands)).toEqual(printed.commands);
  });

  it('gives a registry that validates like the generated one', async () => {
    const generated = (await import(bindings)) as { registry: runtime.TypeRegistry };
    const { types, commands } = buildTables(loadSchema(schema, { legacy, qemuVersion }).model);
    const built = new runtime.TypeRegistry([types], [commands]);
    for (const [name, info] of commands) {
      expect(built.command(name)).toEqual(generated.registry.command(name));
      expect(built.checkArguments(name, { 'no-such-member': 1 })).toEqual(generated.registry.checkArguments(name, { 'no-such-member': 1 }));
      expect(info).toEqual(generated.registry.command(name));
    }
  });
});

describe('buildTables with a filter', () => {
  it('drops what --if does not enable, like the generated modules', () => {
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const all = buildTables(model);
    const none = buildTables(model, { ifSymbols: [] });
    expect(all.commands.map(([n]) => n)).toContain('query-linux');
    expect(none.commands.map(([n]) => n)).not.toContain('query-linux');
    expect(none.types.map(([n]) => n)).not.toContain('Linux');
  });
});

describe('engine names re-exported by the generated index', () => {
  it.each([...REEXPORTED_VALUES])('%s is a value the runtime exports', (name) => {
    expect((runtime as Record<string, unknown>)[name]).toBeDefined();
  });
});
