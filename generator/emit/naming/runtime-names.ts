/**
 * What generated files take from the QMP runtime: the one list of runtime
 * names they may bind.  The validation engine and the command base class
 * live in the runtime (one implementation for every set of bindings); the
 * generated index re-exports the names a user of the bindings needs, so
 * they come with the bindings.  Emitters can import only names listed here
 * (FileBuilder.importRuntime takes a RuntimeName), and the plan reserves
 * every one of them, so no schema-derived identifier can shadow one; a test
 * checks each is a real export of the runtime.
 */

interface Binding {
  /** Bound as a value, or only as a type. */
  readonly value: boolean;
  /** Re-exported by the generated index. */
  readonly reexport: boolean;
}

/** Every runtime name a generated file may bind; re-exports in index order. */
export const RUNTIME_BINDINGS = {
  ArgumentsSchema: { value: true, reexport: true },
  CommandRunner: { value: true, reexport: true },
  QapiValidationError: { value: true, reexport: true },
  TypeRegistry: { value: true, reexport: true },
  isQmpError: { value: true, reexport: true },
  runCommand: { value: true, reexport: false },
  AlternateDescriptor: { value: false, reexport: true },
  ArrayDescriptor: { value: false, reexport: true },
  BuiltinKind: { value: false, reexport: true },
  CallOptions: { value: false, reexport: true },
  CommandInfo: { value: false, reexport: true },
  CommandTable: { value: false, reexport: true },
  DocumentedError: { value: false, reexport: true },
  EnumDescriptor: { value: false, reexport: true },
  EventTable: { value: false, reexport: true },
  ExecuteArguments: { value: false, reexport: true },
  MemberDescriptor: { value: false, reexport: true },
  ObjectDescriptor: { value: false, reexport: true },
  OobCallOptions: { value: false, reexport: true },
  TypeDescriptor: { value: false, reexport: true },
  TypeRef: { value: false, reexport: true },
  TypeTable: { value: false, reexport: true },
  QmpError: { value: false, reexport: false },
  QmpTransport: { value: false, reexport: true },
  RegistryOptions: { value: false, reexport: true },
  // Bindings that span releases.
  InRelease: { value: false, reexport: false },
  ReleaseGate: { value: false, reexport: false },
  ReleaseMembers: { value: false, reexport: false },
  SpanInfo: { value: false, reexport: false },
} as const satisfies Readonly<Record<string, Binding>>;

export type RuntimeName = keyof typeof RUNTIME_BINDINGS;

const names = Object.keys(RUNTIME_BINDINGS) as RuntimeName[];

/** Every runtime name a generated file may bind. */
export const RUNTIME_NAMES: readonly RuntimeName[] = names;

/** The runtime values and types the generated index re-exports. */
export const REEXPORTED_VALUES: readonly RuntimeName[] = names.filter((n) => RUNTIME_BINDINGS[n].reexport && RUNTIME_BINDINGS[n].value);
export const REEXPORTED_TYPES: readonly RuntimeName[] = names.filter((n) => RUNTIME_BINDINGS[n].reexport && !RUNTIME_BINDINGS[n].value);
