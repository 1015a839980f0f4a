/**
 * A value the peer makes up itself (a job's query record, an event's
 * data) cut to what a schema's type has: members the type lacks are left
 * out, so one record serves schemas of several QEMU releases (and, for
 * bindings that span releases, the release a peer plays).  What the
 * type requires and the value lacks stays missing, for the validator to
 * report.
 */
import { jsonKindOfRef, memberTypeIn, resolveType, type TypeRef } from '../tables.js';
import { chooseBranch } from '../type-rules.js';
import { isPlainObject, membersOf } from './values.js';


export function fitToType(ref: TypeRef, value: unknown, release = -1): unknown {
  const d = resolveType(ref);
  if (typeof d === 'string') return value;
  switch (d.kind) {
    case 'enum':
      return value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => fitToType(d.element, v, release)) : value;
    case 'alternate': {
      const chosen = chooseBranch(d.branches, jsonKindOfRef, value);
      return chosen.branch === undefined ? value : fitToType(chosen.branch, value, release);
    }
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const member of membersOf(d, value, release)) {
        const name = member[0];
        if (Object.hasOwn(value, name) && value[name] !== undefined) out[name] = fitToType(memberTypeIn(member, release), value[name], release);
      }
      return out;
    }
  }
}
