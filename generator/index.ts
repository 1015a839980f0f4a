/** The qapi-ts library: load a QAPI schema (or introspection, or a span of releases), generate a backend's output from it. */
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
export { generate, generateRun, type GenerateOptions, type GenerateRun } from './generate.js';
export { resolveInput, type ResolveOptions } from './input/resolve.js';
export { InputError, type InputSource, type ReleaseSource, type SchemaLanguage, type ResolvedInput, type SchemaSource } from './input/source.js';
export { mergeReleases, SpanError, type ReleaseModel } from './span/merge.js';
export { spanOf, type MemberSpan, type Span, type SpannedModel, type TypeInReleases, type VariantSpan } from './span/types.js';
export type { ReleaseSet, SpanRelease } from './span/releases.js';
export { backendNames, registerBackend, type Backend, type BackendOutput, type BackendRun, type InputDescription } from './backends/index.js';
export { completeSettings, SETTINGS, type Settings } from './settings/table.js';
export { Filter } from './select/filter.js';
export { generateFromModel, emitStructures, type EmitOptions } from './emit/pipeline.js';
export type { GeneratedFile } from './emit/output/generated-file.js';
export type { FileSyntax } from './emit/syntax/statements.js';
export { buildTables } from './emit/parts/descriptors.js';
export { documentedErrors, type DocumentedError } from './emit/parts/error-docs.js';
export type * from './model/types.js';
