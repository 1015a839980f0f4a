/** The qapi-ts library: load a QAPI schema, generate its TypeScript bindings. */
export { loadSchema, type LoadedSchema, type LoadOptions } from './frontend.js';
export {
  DEFAULT_QEMU_RELEASE,
  describeLanguageHint,
  LanguageLevel,
  LanguageSelectionError,
  QEMU_RELEASES,
  releaseFlags,
  releaseOptions,
  type LanguageHint,
  type QemuRelease,
} from './source/language.js';
export { SchemaError, formatDiagnostic, type Diagnostic } from './source/diagnostics.js';
export { generate, type GenerateOptions } from './generate.js';
export { generateFromModel, emitStructures, type EmitOptions } from './emit/pipeline.js';
export type { GeneratedFile } from './emit/output/generated-file.js';
export type { FileSyntax } from './emit/syntax/statements.js';
export { buildTables } from './emit/parts/descriptors.js';
export { documentedErrors, type DocumentedError } from './emit/parts/error-docs.js';
export type * from './model/types.js';
