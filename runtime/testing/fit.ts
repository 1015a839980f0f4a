/**
 * A value the peer makes up itself (a job's query record, an event's
 * data) cut to what a schema's type has: members the type lacks are left
 * out, so one record serves schemas of several QEMU releases.  What the
 * type requires and the value lacks stays missing, for the validator to
 * report.
 */
import { jsonKindOfRef, resolveType, type TypeRef } from '../tables.js';
import { chooseBranch } from '../type-rules.js';
import { isPlainObject, membersOf } from './values.js';


export function fitToType(ref: TypeRef, value: unknown): unknown {
  const d = resolveType(ref);
  if (typeof d === 'string') return value;
  switch (d.kind) {
    case 'enum':
      return value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => fitToType(d.element, v)) : value;
    case 'alternate': {
      const chosen = chooseBranch(d.branches, jsonKindOfRef, value);
      return chosen.branch === undefined ? value : fitToType(chosen.branch, value);
    }
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, type] of membersOf(d, value)) if (Object.hasOwn(value, name) && value[name] !== undefined) out[name] = fitToType(type, value[name]);
      return out;
    }
  }
}
