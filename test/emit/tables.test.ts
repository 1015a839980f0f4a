/**
 * One source of truth for the run-time descriptors: buildTables(model)
 * gives, as linked values, exactly the descriptors and tables the generated
 * modules print (compared as graphs: references followed, cycles closed);
 * and the engine names the generated index re-exports are the runtime's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { REEXPORTED_VALUES } from '../../generator/emit/naming/runtime-names.js';
import { loadSchema } from '../../generator/frontend.js';
import * as runtime from '../../runtime/index.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** A descriptor graph as a tree: each descriptor met again becomes a
 *  back reference, numbered in the order first met. */
function canonical(ref: runtime.TypeRef | null, seen = new Map<object, number>()): unknown {
  if (ref === null || typeof ref === 'string') return ref;
  const d = typeof ref === 'function' ? ref() : ref;
  const known = seen.get(d);
  if (known !== undefined) return { back: known };
  seen.set(d, seen.size);
  switch (d.kind) {
    case 'enum':
      return d;
    case 'array':
      return { kind: 'array', element: canonical(d.element, seen) };
    case 'alternate':
      return { kind: 'alternate', branches: d.branches.map((b) => canonical(b, seen)) };
    case 'object':
      return {
        kind: 'object',
        members: d.members.map(([n, t, o]) => [n, canonical(t, seen), o]),
        tag: d.tag,
        cases: d.cases?.map(([v, t]) => [v, canonical(t, seen)]),
      };
  }
}

const commandCanonical = (c: runtime.CommandInfo): unknown => ({ ...c, args: canonical(c.args), returns: canonical(c.returns) });

/** Every printed table of a set of bindings, merged. */
function printedTables(bindings: Record<string, unknown>): {
  types: Map<string, unknown>;
  commands: Map<string, unknown>;
  events: Map<string, unknown>;
} {
  const types = new Map<string, unknown>();
  const commands = new Map<string, unknown>();
  const events = new Map<string, unknown>();
  for (const [name, value] of Object.entries(bindings)) {
    if (!Array.isArray(value)) continue;
    if (/Types$/.test(name)) for (const [key, d] of value as runtime.TypeTable) types.set(key, canonical(d));
    if (/Commands$/.test(name)) for (const info of value as runtime.CommandTable) commands.set(info.name, commandCanonical(info));
    if (/Events$/.test(name)) for (const [event, data] of value as runtime.EventTable) events.set(event, canonical(data));
  }
  return { types, commands, events };
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

describe.each(cases)('buildTables: $name', ({ name, schema, legacy, qemuVersion, bindings }) => {
  it('builds the descriptors the generated modules print', async () => {
    const printed = printedTables((await import(bindings)) as Record<string, unknown>);
    const built = buildTables(loadSchema(schema, { legacy, qemuVersion }).model);
    expect(printed.types.size).toBeGreaterThan(0);
    expect(new Map(built.types.map(([name, d]) => [name, canonical(d)]))).toEqual(printed.types);
    expect(new Map(built.commands.map((c) => [c.name, commandCanonical(c)]))).toEqual(printed.commands);
    // The legacy golden schema has no events.
    if (name !== 'golden-legacy') expect(printed.events.size).toBeGreaterThan(0);
    expect(new Map(built.events.map(([name, data]) => [name, canonical(data)]))).toEqual(printed.events);
  });

  it('gives a registry that validates like the generated one', async () => {
    const generated = (await import(bindings)) as { registry: runtime.TypeRegistry };
    const { types, commands } = buildTables(loadSchema(schema, { legacy, qemuVersion }).model);
    const built = new runtime.TypeRegistry([types], [commands]);
    for (const info of commands) {
      const theirs = generated.registry.command(info.name);
      expect(theirs && commandCanonical(theirs)).toEqual(commandCanonical(info));
      expect(built.checkArguments(info.name, { 'no-such-member': 1 })).toEqual(generated.registry.checkArguments(info.name, { 'no-such-member': 1 }));
    }
    for (const [name] of types) expect(built.check(name, { 'no-such-member': 1 })).toEqual(generated.registry.check(name, { 'no-such-member': 1 }));
  });
});

describe('buildTables with a filter', () => {
  it('drops what --if does not enable, like the generated modules', () => {
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const all = buildTables(model);
    const none = buildTables(model, { ifSymbols: [] });
    expect(all.commands.map((c) => c.name)).toContain('query-linux');
    expect(none.commands.map((c) => c.name)).not.toContain('query-linux');
    expect(none.types.map(([n]) => n)).not.toContain('Linux');
  });

  it('keeps what --only reaches', () => {
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const only = buildTables(model, { only: ['draw'] });
    expect(only.commands.map((c) => c.name)).toEqual(['draw']);
    expect(only.types.map(([n]) => n)).toContain('Figure');
    expect(only.types.map(([n]) => n)).not.toContain('Widget');
  });
});

describe('engine names re-exported by the generated index', () => {
  it.each([...REEXPORTED_VALUES])('%s is a value the runtime exports', (name) => {
    expect((runtime as Record<string, unknown>)[name]).toBeDefined();
  });
});
