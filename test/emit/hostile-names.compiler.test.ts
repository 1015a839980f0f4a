/**
 * Bindings of a schema whose names are the generated code's own: every
 * parameter, type parameter, runtime import, fixed name and base-class
 * member as a command, type, event and member name, reserved words,
 * `constructor`, names differing only in case or in `-`/`_`, and modules
 * named like the fixed files or differing only in case.  Both targets
 * compile under tsc --strict (declarations too), and every command, called
 * through its function and its method, reaches a recording transport with
 * its wire name and arguments unchanged.  (`__proto__` is no QAPI name in
 * any release: the front end refuses it, so it cannot reach the output.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBindings, writeBindings, type Written } from '../../fuzz/bindings/check.js';
import { boundIdentifiers, commandNameFor, hostileNames } from '../../fuzz/bindings/names.js';
import { everyHostileName } from '../../fuzz/bindings/schema.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { loadSchema } from '../../generator/frontend.js';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { FIXED_EXPORTS } from '../../generator/emit/naming/fixed-names.js';
import { Plan } from '../../generator/emit/naming/plan.js';
import { Filter } from '../../generator/select/filter.js';
import { completeSettings } from '../../generator/settings/table.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every name a file binds: its imports, its parameters and type parameters. */
function boundIn(text: string): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) || ts.isParameter(node) || ts.isTypeParameterDeclaration(node)) {
      if (ts.isIdentifier(node.name)) names.push(node.name.text);
    }
    if (ts.isMappedTypeNode(node)) names.push(node.typeParameter.name.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('f.ts', text, ts.ScriptTarget.ES2022));
  return names;
}

describe('a schema of hostile names', () => {
  const schema = everyHostileName();
  let written: Written;

  it('holds every name the generated code binds, spelled as a command', () => {
    const names = hostileNames();
    for (const name of ['args', 'options', 'qmp', 'transport', 'run-command', 'is-qmp-error', 'registry', 'type-tables', 'then', 'constructor', 'default']) {
      expect(names.commands, name).toContain(name);
    }
    // And every one the output binds: read from the output itself, so a
    // parameter or import an emitter starts using is a command here too.
    // Names the plan allocated for the golden schema's own definitions
    // (its types, functions, tables) are the schema's; the rest are the
    // generator's, and each is hostile.
    const { model } = loadSchema(join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json'), { qemuVersion: '7.2' });
    const settings = completeSettings();
    const plan = new Plan(model, new Filter(model, settings), settings);
    const bound = new Set(generateFromModel(model, 'schema.json', { target: 'ts' }).flatMap((f) => boundIn(f.content)));
    const generators = [...bound].filter((id) => !plan.mayExport(id) || FIXED_EXPORTS.includes(id));
    expect(generators).toEqual(expect.arrayContaining(['qmp', 'args', 'options', 'transport', 'K', 'runCommand', 'registry']));
    for (const id of generators) {
      expect(boundIdentifiers(), id).toContain(id);
      const command = commandNameFor(id);
      if (command !== null) expect(names.commands, `${id} as the command '${command}'`).toContain(command);
    }
  });

  it('is accepted by the front end, with names clashing in case and punctuation', () => {
    written = writeBindings(schema, join(work, 'every'));
    expect(written.failed).toBeUndefined();
    expect(written.planned.length).toBeGreaterThan(100);
    const calls = new Set(written.planned.map((p) => p.call.command));
    for (const name of ['args', 'options', 'qmp', 'transport', 'run-command', 'a-b', 'a_b'].filter((n) => schema.calls.some((c) => c.command === n))) {
      expect(calls, name).toContain(name);
    }
  });

  it('gives command functions that hide nothing: a command named args or options is args_2 or options_2, its method args or options', () => {
    const byCommand = new Map(written.planned.map((p) => [p.call.command, p]));
    expect(byCommand.get('args')).toMatchObject({ fn: 'args_2', method: 'args' });
    expect(byCommand.get('options')).toMatchObject({ fn: 'options_2', method: 'options' });
    expect(byCommand.get('qmp')).toMatchObject({ fn: 'qmp_2', method: 'qmp' });
  });

  it('compiles under tsc --strict in both targets, and every call reaches the transport unchanged', { timeout: 300_000 }, async () => {
    const verdict = (await judgeBindings([written])).get(written);
    expect(verdict).toEqual({ ok: true });
  });
});
