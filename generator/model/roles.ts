/**
 * Questions about implicit types that the model answers from their roles.
 */
import type { Command, Event, ObjectType } from './types.js';

/** The definition written in the schema that an implicit object belongs to:
 *  its owner, or for a nested struct, the definition its holder belongs to.
 *  Null for the empty object, which belongs to no definition. */
export function owningDefinition(t: ObjectType): ObjectType | Command | Event | null {
  const role = t.role;
  if (role === null) return t;
  switch (role.kind) {
    case 'empty-object':
      return null;
    case 'nested-struct':
      return owningDefinition(role.owner);
    default:
      return role.owner;
  }
}
