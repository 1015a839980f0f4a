/**
 * What generated files take from the QMP runtime.  The validation engine
 * and the command base class live in the runtime package (one
 * implementation for every set of bindings); the generated index re-exports
 * the names a user of the bindings needs, so they come with the bindings.
 * Every name here is reserved: no schema-derived identifier may take it.
 */

/** The module specifier generated files import the runtime from, by default. */
export const DEFAULT_RUNTIME = 'qapi-ts/runtime';

/** Values the generated index re-exports from the runtime. */
export const ENGINE_VALUES = ['CommandRunner', 'QapiValidationError', 'TypeRegistry', 'isQmpError'] as const;

/** Types the generated index re-exports from the runtime. */
export const ENGINE_TYPES = [
  'BuiltinKind',
  'CallOptions',
  'CommandInfo',
  'CommandTable',
  'DocumentedError',
  'ExecuteArguments',
  'MemberDescriptor',
  'OobCallOptions',
  'TypeDescriptor',
  'TypeTable',
] as const;

/** Runtime names generated files import without re-exporting them. */
const IMPORTED_ONLY = ['QmpError', 'QmpTransport'] as const;

/** Every runtime name a generated file may bind. */
export const RUNTIME_NAMES: readonly string[] = [...ENGINE_VALUES, ...ENGINE_TYPES, ...IMPORTED_ONLY];
