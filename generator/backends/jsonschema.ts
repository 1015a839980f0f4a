/**
 * JSON Schema (draft 2020-12, jsonschema/) of every command's arguments and
 * return value and every event's data: one file, `qmp.schema.json`.  From
 * introspection, where integer widths are folded into 'int', every integer
 * type allows the range of all of them.  Not of a span of releases: a JSON
 * Schema says which messages one QEMU accepts; a span's would take what any
 * of its releases accepts, looser than every one of them (docs/spans.md).
 */
import { jsonSchemaOf, renderJsonSchema } from '../jsonschema/jsonschema.js';
import { BackendError, type Backend } from './backend.js';
import { JSON_SCHEMA_BACKEND, JSON_SCHEMA_FILE } from './built-in.js';

export const jsonSchemaBackend: Backend = {
  ...JSON_SCHEMA_BACKEND,
  generate: ({ model, input, selection }) => {
    if (input.origin === 'span') {
      throw new BackendError(`the jsonschema backend takes one release, not ${input.label}: generate it for each release (--release is for the typescript backend)`);
    }
    return {
      files: [{ path: JSON_SCHEMA_FILE, content: renderJsonSchema(jsonSchemaOf(model, { title: input.name, foldedIntegers: input.origin === 'introspection', selection })) }],
      warnings: [],
    };
  },
};
