/**
 * Pragma directives: schema-wide switches for the checks.  The last value a
 * pragma gets anywhere in the schema is the one in force.
 */
import type { ValueNode } from './ast.js';

export interface Pragma {
  /** Every definition must be documented. */
  docRequired: boolean;
  /** Commands whose names may use '_'. */
  commandNameExceptions: ReadonlySet<string>;
  /** Commands that may return something other than an object. */
  commandReturnsExceptions: ReadonlySet<string>;
  /** Types whose member names may use uppercase and '_'. */
  memberNameExceptions: ReadonlySet<string>;
}

export function defaultPragma(): Pragma {
  return {
    docRequired: false,
    commandNameExceptions: new Set(),
    commandReturnsExceptions: new Set(),
    memberNameExceptions: new Set(),
  };
}

const LIST_PRAGMAS = {
  'command-name-exceptions': 'commandNameExceptions',
  'command-returns-exceptions': 'commandReturnsExceptions',
  'member-name-exceptions': 'memberNameExceptions',
} as const;

/** Applies one pragma; returns an error message when it is malformed. */
export function applyPragma(pragma: Pragma, name: string, value: ValueNode): string | null {
  if (name === 'doc-required') {
    if (value.kind !== 'bool') return "pragma 'doc-required' takes true or false";
    pragma.docRequired = value.value;
    return null;
  }
  if (Object.hasOwn(LIST_PRAGMAS, name)) {
    const field = LIST_PRAGMAS[name as keyof typeof LIST_PRAGMAS];
    if (value.kind !== 'list' || value.items.some((item) => item.kind !== 'string')) {
      return `pragma '${name}' takes a list of names (strings)`;
    }
    pragma[field] = new Set(value.items.map((item) => (item.kind === 'string' ? item.value : '')));
    return null;
  }
  const known = ['doc-required', ...Object.keys(LIST_PRAGMAS)].map((k) => `'${k}'`).join(', ');
  return `there is no pragma '${name}'; the pragmas are ${known}`;
}
