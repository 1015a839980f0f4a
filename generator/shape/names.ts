/**
 * Naming rules for QAPI names.
 *
 * A name is letters, digits, '-' and '_', starting with a letter; it may
 * carry an 'x-' prefix (experimental) and, before that, a '__RFQDN_' prefix
 * (a downstream extension).  Names that would map to C identifiers starting
 * with 'q_' are reserved for the generator.
 */

import { cName } from '../common/names.js';

export { cName } from '../common/names.js';

const VALID_NAME = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;

/** Whether a name's C name starts with 'q_': cName maps character by
 *  character, so the first two tell (and the whole C name is not made
 *  for every name checked). */
function reservedForGenerator(name: string): boolean {
  return name.charCodeAt(0) === 113 && cName(name.slice(0, 2)) === 'q_';
}

export class NameError extends Error {}

/** Checks the general rules; returns the name's stem (prefixes removed). */
export function checkNameStr(name: string, source: string): string {
  if (!VALID_NAME.test(name) || reservedForGenerator(name)) {
    throw new NameError(
      `${source} is not a valid name: use letters, digits, '-' and '_', beginning with a letter (names beginning 'q_' or 'q-' are kept for the generator)`,
    );
  }
  // A prefix starts with '_' or is 'x-': a name with neither is its own
  // stem, and no match is made for it (most names).
  return name.charCodeAt(0) === 95 || name.charCodeAt(1) === 45 ? VALID_NAME.exec(name)![3]! : name;
}

export function checkNameUpper(name: string, source: string): void {
  const stem = checkNameStr(name, source);
  if (/[a-z-]/.test(stem)) {
    throw new NameError(`the name of ${source} must be in capitals with '_' between words, like 'BLOCK_JOB_COMPLETED'`);
  }
}

export function checkNameLower(
  name: string,
  source: string,
  permitUpper = false,
  permitUnderscore = false,
): void {
  const stem = checkNameStr(name, source);
  if ((!permitUpper && /[A-Z]/.test(stem)) || (!permitUnderscore && stem.includes('_'))) {
    throw new NameError(`the name of ${source} must be in lower case with '-' between words, like 'block-commit'`);
  }
}

export function checkNameCamel(name: string, source: string): void {
  const stem = checkNameStr(name, source);
  if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(stem)) {
    throw new NameError(`the name of ${source} must be in CamelCase, like 'BlockJobInfo'`);
  }
}
