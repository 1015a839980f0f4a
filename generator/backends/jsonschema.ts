/**
 * JSON Schema (draft 2020-12, jsonschema/) of every command's arguments and
 * return value and every event's data: one file, `qmp.schema.json`.  From
 * introspection, where integer widths are folded into 'int', every integer
 * type allows the range of all of them.
 */
import { jsonSchemaOf, renderJsonSchema } from '../jsonschema/jsonschema.js';
import type { Backend } from './backend.js';

const FILE = 'qmp.schema.json';

export const jsonSchemaBackend: Backend = {
  name: 'jsonschema',
  description: "JSON Schema (2020-12) for every command's arguments and return value and every event's data, one file",
  reads: [],
  generate: ({ model, input, selection }) => ({
    files: [{ path: FILE, content: renderJsonSchema(jsonSchemaOf(model, { title: input.name, foldedIntegers: input.origin === 'introspection', selection })) }],
    warnings: [],
  }),
  owns: (name) => name === FILE,
};
