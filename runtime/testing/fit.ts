/**
 * A value the peer makes up itself (a job's query record, an event's
 * data) cut to what a schema's type has: members the type lacks are left
 * out, so one record serves schemas of several QEMU releases.  What the
 * type requires and the value lacks stays missing, for the validator to
 * report.
 */
import { resolveType, type TypeRef } from '../tables.js';
import { chooseBranch } from '../type-rules.js';
import { jsonKindOfRef } from '../tables.js';

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
      if (!isPlain(value)) return value;
      const out: Record<string, unknown> = {};
      const keep = (members: readonly (readonly [string, TypeRef, boolean?])[]): void => {
        for (const [name, type] of members) if (Object.hasOwn(value, name) && value[name] !== undefined) out[name] = fitToType(type, value[name]);
      };
      keep(d.members);
      if (d.tag !== undefined) {
        const branch = d.cases?.find(([v]) => v === value[d.tag!])?.[1];
        const b = branch === undefined ? undefined : resolveType(branch);
        if (typeof b === 'object' && b.kind === 'object') {
          const fitted = fitToType(b, value) as Record<string, unknown>;
          Object.assign(out, fitted);
        }
      }
      return out;
    }
  }
}
