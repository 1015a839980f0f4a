/**
 * The exact range of each integer built-in, for comparing integer types and
 * writing their bounds: the runtime's table, by the model's built-in names.
 */
import { INTEGER_RANGES, type IntegerKind } from '../../runtime/tables.js';
import { BUILTIN_KIND } from '../emit/descriptors.js';
import type { BuiltinType } from '../model/types.js';

export function integerRange(t: BuiltinType): readonly [min: bigint, max: bigint] | null {
  const kind = BUILTIN_KIND[t.name];
  return kind !== undefined && Object.hasOwn(INTEGER_RANGES, kind) ? INTEGER_RANGES[kind as IntegerKind] : null;
}
