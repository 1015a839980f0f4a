/** What the peer's modules share about values and their types. */
import { resolveType, type MemberDescriptor, type ObjectDescriptor } from '../tables.js';

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The members an object value has by its type: the type's own (a base's
 *  included), then those of the union branch its tag selects. */
export function membersOf(d: ObjectDescriptor, value: unknown): readonly MemberDescriptor[] {
  if (d.tag === undefined || !isPlainObject(value)) return d.members;
  const branch = d.cases?.find(([v]) => v === value[d.tag!])?.[1];
  const b = branch === undefined ? undefined : resolveType(branch);
  return typeof b === 'object' && b.kind === 'object' ? [...d.members, ...membersOf(b, value)] : d.members;
}
