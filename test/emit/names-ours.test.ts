/**
 * Generated names stay ours: neither tables nor public types show QEMU's
 * internal names for the types it makes itself (`q_obj_block-commit-arg`,
 * `q_obj_X-base`, `q_obj_X-wrapper`, `q_obj_X-Y-nested`, `q_empty`; 303
 * of them in the 7.2 output once) nor the names of its array types
 * (`BlockJobInfoList`): implicit types are named after what they are for,
 * arrays are written where they are used.  Checked over the whole output of
 * QEMU 7.2's and 10.2's schemas and QEMU 1.3's (simple unions, anonymous
 * structs), both targets.
 */
import { describe, expect, it } from 'vitest';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { loadSchema, type LoadOptions } from '../../generator/frontend.js';
import { requireShared } from '../helpers/shared.js';

const schemas: [name: string, relative: string, language: LoadOptions][] = [
  ['QEMU 7.2', 'qemu-7.2/qapi/qapi-schema.json', { qemuVersion: '7.2' }],
  ['QEMU 10.2', 'qemu-10.2/qapi/qapi-schema.json', { qemuVersion: '10.2' }],
  ['QEMU 1.3', 'qemu-1.3/qapi-schema.json', { legacy: true }],
];

/** QEMU's names of implicit types, and of array types (as string literals:
 *  a table key or a reference by name). */
const INTERNAL = [/\bq_obj_/, /\bq_empty\b/, /'[^'\n]*-(?:arg|base|wrapper|nested)'/, /'[A-Za-z0-9_.-]+List'/];

describe.each(schemas)('%s', (_name, relative, language) => {
  const schema = requireShared(relative, 'the names in generated output');

  it.skipIf(!schema.available)('output names no type by a QEMU-internal name', async () => {
    const { model } = loadSchema(schema.path, language);
    // The model keeps QEMU's names (dumps show them): they are there to find.
    expect(model.entities.some((e) => e.name.startsWith('q_obj_'))).toBe(true);
    for (const target of ['ts', 'js+dts'] as const) {
      for (const f of await generateFromModel(model, schema.path, { target })) {
        for (const pattern of INTERNAL) expect(f.content.match(pattern)?.[0], `${target} ${f.path}`).toBeUndefined();
      }
    }
  }, 60_000);
});
