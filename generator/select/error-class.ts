/**
 * The schema's enum of the error classes QEMU sends, which the client's
 * error type is: the filter keeps it for the client (with `--only` too),
 * and the error tables read its values.
 */
import type { EnumType, SchemaModel } from '../model/types.js';

/** What the enum is called: `ErrorClass` in the 2012 schema,
 *  `QapiErrorClass` since QEMU 2.5. */
const ERROR_CLASS_ENUMS = ['QapiErrorClass', 'ErrorClass'] as const;

/** The schema's error class enum, if it has one. */
export function errorClassEnum(model: SchemaModel): EnumType | null {
  const t = ERROR_CLASS_ENUMS.map((name) => model.lookupType(name)).find((found) => found !== undefined);
  return t?.kind === 'enum' ? t : null;
}
