/**
 * Pragma directives: schema-wide switches for the checks.  The last value a
 * pragma gets anywhere in the schema is the one in force.
 */
import type { Pragma } from '../common/pragma.js';
import type { LanguageLevel } from '../source/language.js';
import type { ValueNode } from './ast.js';

const LIST_PRAGMAS = {
  'command-name-exceptions': 'commandNameExceptions',
  'command-returns-exceptions': 'commandReturnsExceptions',
  'member-name-exceptions': 'memberNameExceptions',
  'documentation-exceptions': 'documentationExceptions',
} as const;

type ListPragma = keyof typeof LIST_PRAGMAS;

/** The list pragmas a language level knows: 'documentation-exceptions'
 *  came with the doc-comment rewrite of QEMU 9.0. */
function listPragmas(level: LanguageLevel): ListPragma[] {
  return (Object.keys(LIST_PRAGMAS) as ListPragma[]).filter(
    (name) => name !== 'documentation-exceptions' || level.has('paragraphDocComments'),
  );
}

/** Applies one pragma; returns an error message when it is malformed. */
export function applyPragma(pragma: Pragma, name: string, value: ValueNode, level: LanguageLevel): string | null {
  if (name === 'doc-required') {
    if (value.kind !== 'bool') return "pragma 'doc-required' takes true or false";
    pragma.docRequired = value.value;
    return null;
  }
  const lists = listPragmas(level);
  if ((lists as string[]).includes(name)) {
    const field = LIST_PRAGMAS[name as ListPragma];
    if (value.kind !== 'list' || value.items.some((item) => item.kind !== 'string')) {
      return `pragma '${name}' takes a list of names (strings)`;
    }
    pragma[field] = new Set(value.items.map((item) => (item.kind === 'string' ? item.value : '')));
    return null;
  }
  const known = ['doc-required', ...lists].map((k) => `'${k}'`).join(', ');
  const later = name === 'documentation-exceptions' ? ` ('${name}' came with QEMU 9.0)` : '';
  return `there is no pragma '${name}' in ${level.describe()}${later}; the pragmas are ${known}`;
}
