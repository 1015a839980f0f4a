/**
 * Documented errors: what a command's doc comment says can go wrong.
 *
 * QAPI docs list errors as prose, one condition per line or bullet:
 * the 2012 form (`If @device does not exist, DeviceNotFound` and `..., a
 * generic error is returned` under `Returns:`), the bulleted 7.2 form
 * (`- If @device is not a valid block device, DeviceNotFound`) and, from
 * QEMU 9.0 on, the `Errors:` section, an rST list of conditions.  Under
 * `Returns:` only lines naming an error class are errors (the rest says
 * what succeeds); in `Errors:` every item is one, and an item naming no
 * class is a GenericError.  QEMU sends only the classes of its error class
 * enum, so a documented name outside it (the seed's DeviceInUse) arrives
 * as GenericError.
 */
import { errorItems } from '../../doc/blocks.js';
import type { DocumentedError } from 'qapi-ts-runtime';
import type { EntityDoc, EnumType, SchemaModel } from '../../model/types.js';
import { errorClassEnum } from '../../select/error-class.js';
import type { Filter } from '../../select/filter.js';

/** The same record as the runtime's command tables carry. */
export type { DocumentedError } from 'qapi-ts-runtime';

/** What QEMU has sent since 1.2, for schemas without an ErrorClass enum. */
const DEFAULT_ERROR_CLASSES = [
  'GenericError',
  'CommandNotFound',
  'DeviceNotActive',
  'DeviceNotFound',
  'KVMMissingCap',
] as const;

/** A CamelCase word with at least two humps: an error class name. */
const CLASS_NAME = /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/;
const GENERIC = /\b(?:a |an )?generic error\b/i;

/** Splits a section into items: a line starting with `If`/`if`, `-` or
 *  `Any` begins one, other lines continue the previous one. */
function items(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const bullet = /^[-*]\s+/.exec(line);
    const body = bullet ? line.slice(bullet[0].length) : line;
    if (bullet || /^(?:if|any|on|when)\b/i.test(body) || out.length === 0) out.push(body);
    else out[out.length - 1] += ` ${body}`;
  }
  return out;
}

/** The error class an item names, with the condition before it. */
function namedClass(item: string): { condition: string; documented: string } | null {
  // `CONDITION, ClassName [with an explanation]` — the class after the last comma.
  const comma = item.lastIndexOf(',');
  if (comma > 0) {
    const tail = item.slice(comma + 1).trim();
    const word = /^([A-Za-z0-9]+)/.exec(tail)?.[1] ?? '';
    if (CLASS_NAME.test(word) && /[A-Z]/.test(word.slice(1))) {
      return { condition: item.slice(0, comma).trim(), documented: word };
    }
    if (GENERIC.test(tail)) return { condition: item.slice(0, comma).trim(), documented: 'GenericError' };
  }
  // `Any other error returns a GenericError.`
  const named = /\b([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)\b/.exec(item);
  if (named?.[1] && /error|return/i.test(item)) {
    return { condition: item.replace(/[.\s]+$/, ''), documented: named[1] };
  }
  if (GENERIC.test(item) && /^(?:if|any|when)\b/i.test(item)) {
    return { condition: item.replace(/[.\s]+$/, ''), documented: 'GenericError' };
  }
  return null;
}

/** An item of an `Errors:` section: every one is an error, of the class
 *  it names or else of none in particular. */
function errorsItem(item: string): { condition: string; documented: string | null } {
  return namedClass(item) ?? { condition: item.replace(/[.\s]+$/, ''), documented: null };
}

/** The errors a command's doc documents, in order. */
export function documentedErrors(doc: EntityDoc | null, errorClasses: ReadonlySet<string>): DocumentedError[] {
  if (!doc) return [];
  const out: DocumentedError[] = [];
  for (const section of doc.sections) {
    const found =
      section.kind === 'errors'
        ? errorItems(section.text).map(errorsItem)
        : section.kind === 'returns'
          ? items(section.text).flatMap((item) => namedClass(item) ?? [])
          : [];
    for (const { condition, documented } of found) {
      const errorClass = documented !== null && errorClasses.has(documented) ? documented : 'GenericError';
      out.push({ condition: condition.replace(/\s+/g, ' '), documented, errorClass });
    }
  }
  return out;
}

/** The classes QEMU sends: the schema's kept error class enum members, or
 *  (without that enum) what QEMU has always sent. */
export function wireErrorClasses(model: SchemaModel, filter: Filter): { classes: string[]; enumType: EnumType | null } {
  const t = errorClassEnum(model);
  const enumType = t && filter.keepsEntity(t) ? t : null;
  const classes = enumType ? enumType.members.filter((m) => filter.keeps(m)).map((m) => m.name) : [...DEFAULT_ERROR_CLASSES];
  return { classes, enumType };
}
