// Argument validation speed: the generated validators (the runtime's
// TypeRegistry over the tables the bindings print) against ajv compiled
// from `qapi-ts jsonschema` of the same schema, on the same inputs: the
// argument objects of real QMP traffic recorded by the end-to-end tests
// (test/fixtures/traffic/qemu-7.2.jsonl), valid as recorded and each with
// one unknown member added.  Both report every problem (ajv allErrors), so
// they do the same work.  Needs `npm run build`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, ratioRow } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');
const traffic = join(root, 'test', 'fixtures', 'traffic', 'qemu-7.2.jsonl');
const dist = (...p) => join(root, 'dist', 'generator', ...p);

/** Median nanoseconds per call of `check` over `inputs`, in rounds long enough to time. */
function perCall(inputs, check, rounds) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) for (const [command, args] of inputs) check(command, args);
    times.push(Number(process.hrtime.bigint() - start) / (200 * inputs.length));
  }
  return median(times);
}

export async function benchValidators({ rounds = 15 } = {}) {
  const { loadSchema } = await import(dist('frontend.js'));
  const { buildTables } = await import(dist('emit', 'parts', 'descriptors.js'));
  const { jsonSchemaOf, renderJsonSchema } = await import(dist('jsonschema', 'jsonschema.js'));
  const { TypeRegistry } = await import(join(root, 'runtime', 'dist', 'index.js'));
  const { Ajv2020 } = await import('ajv/dist/2020.js');

  const model = loadSchema(schema, { qemuVersion: '7.2' }).model;
  const tables = buildTables(model);
  const registry = new TypeRegistry([tables.types], [tables.commands]);
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addSchema(JSON.parse(renderJsonSchema(jsonSchemaOf(model))), 'qmp');

  const valid = readFileSync(traffic, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((m) => [m.execute, m.arguments]);
  const invalid = valid.map(([c, a]) => [c, { ...a, 'no-such-member': 1 }]);
  const compiled = new Map(valid.map(([c]) => [c, ajv.getSchema(`qmp#/$defs/command.${c}.arguments`)]));
  const ours = (c, a) => registry.checkArguments(c, a).length === 0;
  const theirs = (c, a) => compiled.get(c)(a);
  // Same verdicts, or the comparison means nothing.
  for (const [c, a] of [...valid, ...invalid]) {
    if (ours(c, a) !== theirs(c, a)) throw new Error(`the validators disagree on ${c} ${JSON.stringify(a)}`);
  }
  const rows = [{ name: `inputs: recorded argument objects (${valid.length} commands)`, value: valid.length, unit: 'objects' }];
  for (const [what, inputs] of [['valid', valid], ['one unknown member', invalid]]) {
    perCall(inputs, ours, 3);
    perCall(inputs, theirs, 3);
    const a = { name: `generated validators, ${what}`, value: perCall(inputs, ours, rounds), unit: 'ns/object' };
    const b = { name: `ajv from the JSON Schema, ${what}`, value: perCall(inputs, theirs, rounds), unit: 'ns/object' };
    rows.push(a, b, ratioRow(`ajv time / generated time, ${what}`, b, a));
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('argument validation: generated validators vs ajv', await benchValidators());
}
