/**
 * The names generated code binds inside a declaration: the parameters of
 * command functions, methods and the constructor, and the type parameters
 * of generic types.  Emitters take them from here; the plan reserves every
 * one in the namespace of the names a file declares or imports, so no name
 * derived from the schema can be one (a command `args` gets the function
 * `args_2`, and its method `args(args, options)` still reaches it); and a
 * file builder refuses a parameter or type parameter not listed here, so a
 * local added to an emitter cannot be left out of the reservation.
 */
export const LOCAL_NAMES = {
  /** A command function's transport. */
  qmp: 'qmp',
  /** A command's arguments. */
  args: 'args',
  /** A command's call options. */
  options: 'options',
  /** The command class's constructor's transport. */
  transport: 'transport',
  /** The key of the helper types over the command and event maps. */
  key: 'K',
  /** The release parameter of a span's declarations. */
  release: 'R',
  /** The release a span's guard (`isRelease`) and view (`at`) are given, and its type parameter. */
  releaseArgument: 'release',
  view: 'S',
} as const;

/** Every local name generated code may bind. */
export const LOCALS: ReadonlySet<string> = new Set(Object.values(LOCAL_NAMES));
