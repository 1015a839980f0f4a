/**
 * The schema-wide switches pragma directives set, as the checks read them.
 * The reader fills them in (parse/pragma.ts); the shape and model stages
 * consult them.
 */
export interface Pragma {
  /** Every definition must be documented. */
  docRequired: boolean;
  /** Commands whose names may use '_'. */
  commandNameExceptions: ReadonlySet<string>;
  /** Commands that may return something other than an object. */
  commandReturnsExceptions: ReadonlySet<string>;
  /** Types whose member names may use uppercase and '_'. */
  memberNameExceptions: ReadonlySet<string>;
  /** Definitions whose members may go undocumented (QEMU 9.0 on). */
  documentationExceptions: ReadonlySet<string>;
}

export function defaultPragma(): Pragma {
  return {
    docRequired: false,
    commandNameExceptions: new Set(),
    commandReturnsExceptions: new Set(),
    memberNameExceptions: new Set(),
    documentationExceptions: new Set(),
  };
}
