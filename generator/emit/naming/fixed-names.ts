/**
 * The names the generator chooses itself: the fixed files, and what each of
 * them declares.  The emitters of those files take their names from here,
 * and the plan reserves them all, so no schema name can take one (index.ts
 * re-exports every file, so the output shares one namespace).  A file
 * builder refuses to export a name the plan did not reserve or allocate.
 */

/** Files the generator writes besides one per module. */
export const FIXED_FILES = ['index', 'client', 'registry'] as const;

/** What client.ts declares. */
export const CLIENT_NAMES = {
  commands: 'Commands',
  commandName: 'CommandName',
  argumentsOf: 'ArgumentsOf',
  returnOf: 'ReturnOf',
  eventData: 'EventData',
  events: 'Events',
  wireErrorClass: 'WireErrorClass',
  commandError: 'QmpCommandError',
  commandClass: 'QmpCommands',
} as const;

/** What registry.ts declares. */
export const REGISTRY_NAMES = {
  types: 'Types',
  typeName: 'TypeName',
  typeTables: 'typeTables',
  commandTables: 'commandTables',
  eventTables: 'eventTables',
  options: 'registryOptions',
  registry: 'registry',
} as const;

/** Every name the fixed files declare. */
export const FIXED_EXPORTS: readonly string[] = [...Object.values(CLIENT_NAMES), ...Object.values(REGISTRY_NAMES)];

/** The file bindings that span releases add, and what it declares (both
 *  reserved only for such bindings, so that bindings of one schema keep
 *  every name they had). */
export const SPAN_FILE = 'span';

export const SPAN_NAMES = {
  /** The union of the span's releases. */
  release: 'Release',
  /** The span at run time (`SpanInfo<Release>`). */
  span: 'span',
} as const;

export const SPAN_EXPORTS: readonly string[] = Object.values(SPAN_NAMES);
