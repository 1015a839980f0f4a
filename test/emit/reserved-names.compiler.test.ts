/**
 * Names a schema could shadow come from what the runtime really has: the
 * runtime names generated files bind are real exports of the runtime; the
 * methods of the generated command class never take a member of its base
 * class (found on the class, so a member the runtime gains is covered) nor
 * a name JavaScript looks up on any object (`then`, `toJSON`, ...); and
 * types named after runtime exports do not break the bindings.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_EXPORTS } from '../../generator/emit/naming/fixed-names.js';
import { Plan } from '../../generator/emit/naming/plan.js';
import { RUNTIME_BINDINGS, RUNTIME_NAMES } from '../../generator/emit/naming/runtime-names.js';
import { FileBuilder } from '../../generator/emit/parts/file-builder.js';
import { typeAlias } from '../../generator/emit/syntax/statements.js';
import { ty } from '../../generator/emit/syntax/type-syntax.js';
import { memberNames, PROTOCOL_NAMES, reservedMethodNames } from '../../generator/emit/naming/reserved-methods.js';
import { camelCase } from '../../generator/emit/naming/identifiers.js';
import { emitStructures } from '../../generator/emit/pipeline.js';
import { generate } from '../../generator/generate.js';
import { resolveInput } from '../../generator/input/resolve.js';
import { loadSchema } from '../../generator/frontend.js';
import { Filter } from '../../generator/select/filter.js';
import { completeSettings } from '../../generator/settings/table.js';
import * as runtime from '../../runtime/index.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { typecheck } from '../helpers/tsc.js';

/** Every name runtime/index.ts exports, types included, as TypeScript sees it. */
function runtimeExports(): Set<string> {
  const file = join(PROJECT_ROOT, 'runtime', 'index.ts');
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  return new Set(checker.getExportsOfModule(symbol!).map((s) => s.getName()));
}

const sampleRunner = (): runtime.CommandRunner<Record<string, never>> =>
  new runtime.CommandRunner({ execute: () => Promise.resolve({}) }, new runtime.TypeRegistry([], []));

/** What JavaScript would reach on an instance of the command class besides
 *  the generated methods: the base class's members and fields, up to
 *  Object.prototype, and the protocol names. */
const baseNames = (): Set<string> => new Set([...memberNames(runtime.CommandRunner, sampleRunner()), ...PROTOCOL_NAMES]);

/** `toJSON` → `to-j-s-o-n`: a command name whose method name would be it. */
const commandNameFor = (method: string): string => method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Names JavaScript treats specially, as commands, whatever the generator
 *  believes: `then` (thenables), `toJSON` (JSON.stringify), the coercions. */
const PROTOCOL_COMMANDS = ['then', 'to-j-s-o-n', 'value-of', 'to-string', 'to-locale-string', 'constructor', 'has-own-property', 'is-prototype-of'];

/** Command names that would shadow something, unless renamed: those, and
 *  every base member a QAPI command name can spell. */
const shadowingCommands = (): string[] => {
  const spelled = [...baseNames()].filter((n) => /^[a-z][A-Za-z]*$/.test(n) && camelCase(commandNameFor(n)) === n).map(commandNameFor);
  return [...new Set([...PROTOCOL_COMMANDS, ...spelled])].sort();
};

describe('runtime names generated files bind', () => {
  const exported = runtimeExports();

  it.each([...RUNTIME_NAMES])('%s is a real export of the runtime', (name) => {
    expect(exported.has(name)).toBe(true);
    if (RUNTIME_BINDINGS[name].value) expect((runtime as Record<string, unknown>)[name]).toBeDefined();
  });

  it('are the only names generated files take from the runtime (bindings of one schema, and of a span)', async () => {
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const span = await resolveInput({
      kind: 'span',
      releases: ['older', 'newer'].map((dir, i) => ({ release: ['8.2', '10.2'][i]!, path: join(PROJECT_ROOT, 'test', 'fixtures', 'span', dir, 'qapi-schema.json') })),
    });
    const taken = new Set<string>();
    for (const file of [...emitStructures(model), ...emitStructures(span.model)]) {
      for (const i of file.imports) if (i.from === 'qapi-ts-runtime') taken.add(i.name);
      for (const s of file.statements) if (s.kind === 'export-from' && s.from === 'qapi-ts-runtime') for (const n of s.names ?? []) taken.add(n);
    }
    expect([...taken].sort()).toEqual([...RUNTIME_NAMES].sort());
  });
});

describe('exports of generated files', () => {
  it('are only names the plan allocated or the fixed files reserve', () => {
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const settings = completeSettings();
    const plan = new Plan(model, new Filter(model, settings), settings);
    const f = new FileBuilder(plan, 'client');
    f.add(typeAlias('Commands', ty.keyword('never')));
    expect(() => f.finish()).not.toThrow();
    f.add(typeAlias('Unplanned', ty.keyword('never')));
    expect(() => f.finish()).toThrow("client.ts would export 'Unplanned', which the plan did not name");
  });
});

describe('reserved method names', () => {
  it('are every member of CommandRunner, up to Object.prototype, and its fields', () => {
    const reserved = new Set(reservedMethodNames());
    for (const name of ['execute', 'call', 'transport', 'registry', 'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
      expect(reserved.has(name), name).toBe(true);
    }
    for (const name of baseNames()) expect(reserved.has(name), name).toBe(true);
  });

  it('follow a member the runtime gains', () => {
    class Grown extends runtime.CommandRunner<Record<string, never>> {
      readonly added = 1;
      describeSelf(): string {
        return 'grown';
      }
    }
    const grown = new Grown({ execute: () => Promise.resolve({}) }, new runtime.TypeRegistry([], []));
    const reserved = reservedMethodNames(Grown, grown);
    expect(reserved).toContain('describeSelf');
    expect(reserved).toContain('added');
    expect(reservedMethodNames()).not.toContain('describeSelf');
  });

  it('include the names JavaScript looks up on any object', () => {
    expect(reservedMethodNames()).toEqual(expect.arrayContaining(['then', 'toJSON', 'constructor', 'valueOf', 'toString', 'toLocaleString', '__proto__']));
  });
});

describe('bindings of a schema whose names would shadow the runtime', () => {
  const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-reserved-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'out');
  const commands = shadowingCommands();
  // Types named after every runtime export and every name of the fixed
  // files that a QAPI type name can spell.
  const types = [...new Set([...runtimeExports(), ...FIXED_EXPORTS])].filter((n) => /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(n)).sort();

  interface Bindings {
    QmpCommands: new (t: runtime.QmpTransport) => object;
    QapiValidationError: unknown;
    TypeRegistry: unknown;
    CommandRunner: unknown;
  }
  let bindings: Bindings;
  const calls: string[] = [];
  const transport: runtime.QmpTransport = {
    execute(command) {
      calls.push(command);
      return Promise.resolve({});
    },
  };

  beforeAll(async () => {
    const schema = join(work, 'shadow.json');
    const text = [
      ...types.map((t) => `{ 'struct': '${t}', 'data': { 'x': 'int' } }`),
      ...commands.map((c) => (c === 'execute' ? "{ 'command': 'execute', 'data': { 'what': 'str' } }" : `{ 'command': '${c}' }`)),
    ].join('\n');
    writeFileSync(schema, `${text}\n`);
    mkdirSync(out);
    for (const f of await generate({ schema, target: 'ts' })) writeFileSync(join(out, f.path), f.content);
    bindings = (await import(join(out, 'index.ts'))) as Bindings;
  });

  it('spells a command for each base member a command can spell', () => {
    expect(commands).toEqual(expect.arrayContaining([...PROTOCOL_COMMANDS, 'execute', 'call', 'transport', 'registry']));
  });

  it('compile under tsc --strict', async () => {
    const r = await typecheck([join(out, 'index.ts')]);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it("re-export the runtime's own engine names, not the schema's types", async () => {
    const built = await import('qapi-ts-runtime');
    expect(bindings.QapiValidationError).toBe(built.QapiValidationError);
    expect(bindings.TypeRegistry).toBe(built.TypeRegistry);
    expect(bindings.CommandRunner).toBe(built.CommandRunner);
  });

  it('give the command class no method named like a base member or protocol name', () => {
    const own = Object.getOwnPropertyNames(bindings.QmpCommands.prototype).filter((n) => n !== 'constructor');
    expect(own.filter((n) => baseNames().has(n))).toEqual([]);
    expect(own).toHaveLength(commands.length);
  });

  it.each(shadowingCommands())('command %s keeps its wire name under a renamed method', async (command) => {
    const qmp = bindings.QmpCommands.prototype as Record<string, unknown>;
    const method = `${camelCase(command)}_2`;
    expect(typeof qmp[method]).toBe('function');
    calls.length = 0;
    const instance = new bindings.QmpCommands(transport) as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await instance[method]!(...(command === 'execute' ? [{ what: 'x' }] : []));
    expect(calls).toEqual([command]);
  });

  it('give the command functions no name a module cannot export safely (then, eval, arguments)', async () => {
    expect(Object.keys(bindings)).not.toContain('then');
    expect(Object.keys(bindings)).toContain('then_2');
    // A namespace with `then` is a thenable: import() would call it.
    calls.length = 0;
    const again = (await import(join(out, 'index.ts'))) as Record<string, unknown>;
    expect(again.QmpCommands).toBe(bindings.QmpCommands);
    expect(calls).toEqual([]);
  });

  it('an instance returned from an async function settles, and nothing is sent', async () => {
    calls.length = 0;
    const make = async (): Promise<object> => new bindings.QmpCommands(transport);
    const qmp = await make();
    expect(qmp).toBeInstanceOf(bindings.QmpCommands);
    expect('then' in qmp).toBe(false);
    expect(calls).toEqual([]);
  });

  it('JSON.stringify, String() and valueOf treat an instance as a plain object, sending nothing', () => {
    calls.length = 0;
    const qmp = new bindings.QmpCommands(transport);
    expect(() => JSON.stringify(qmp)).not.toThrow();
    expect(String(qmp)).toBe('[object Object]');
    expect(qmp.valueOf()).toBe(qmp);
    expect(qmp.constructor).toBe(bindings.QmpCommands);
    expect(Object.prototype.hasOwnProperty.call(qmp, 'transport')).toBe(true);
    expect(calls).toEqual([]);
  });
});
