/** What the peer's modules share about values and their types. */
import { caseIn, inRelease, resolveType, type MemberDescriptor, type ObjectDescriptor } from '../tables.js';

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The members an object value has by its type: the type's own (a base's
 *  included), then those of the union branch its tag selects.  `release`:
 *  for bindings that span releases, the position of the release whose
 *  members these are (-1: every member of every release). */
export function membersOf(d: ObjectDescriptor, value: unknown, release = -1): readonly MemberDescriptor[] {
  const own = release < 0 ? d.members : d.members.filter((m) => m[3]?.in === undefined || inRelease(m[3].in, release));
  if (d.tag === undefined || !isPlainObject(value)) return own;
  const branch = caseIn(d, value[d.tag], release);
  const b = branch === undefined ? undefined : resolveType(branch);
  return typeof b === 'object' && b.kind === 'object' ? [...own, ...membersOf(b, value, release)] : own;
}
