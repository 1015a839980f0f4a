/** The qapi-ts library: load a QAPI schema, generate its TypeScript bindings. */
export { loadSchema, type LoadedSchema, type LoadOptions } from './frontend.js';
export {
  DEFAULT_QEMU_VERSION,
  LanguageLevel,
  LanguageSelectionError,
  QEMU_VERSIONS,
  type QemuVersion,
} from './source/language.js';
export { SchemaError, formatDiagnostic, type Diagnostic } from './source/diagnostics.js';
export {
  generate,
  generateFromModel,
  emitStructures,
  type EmitOptions,
  type GenerateOptions,
} from './emit/generate.js';
export type { GeneratedFile } from './emit/structures.js';
export { buildTables } from './emit/descriptors.js';
export { documentedErrors, type DocumentedError } from './emit/error-docs.js';
export type * from './model/types.js';
