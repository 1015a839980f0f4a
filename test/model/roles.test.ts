/**
 * Implicit types carry their role and owner in the model: the builder
 * records them where it makes each type, and every consumer asks for them
 * (QEMU's internal names such as `q_obj_X-arg` stay only as names).
 */
import { describe, expect, it } from 'vitest';
import { owningDefinition } from '../../generator/model/roles.js';
import type { Entity, ObjectType, SchemaModel } from '../../generator/model/types.js';
import { loadMemory } from '../helpers/memory-schema.js';

function load(text: string, legacy = false): SchemaModel {
  const result = loadMemory({ 'main.json': text }, { legacy });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.loaded.model;
}

/** Every implicit type of a model as `name: role owner[.member]`. */
function roles(model: SchemaModel): string[] {
  const out: string[] = [];
  for (const e of model.entities) {
    if ((e.kind !== 'object' && e.kind !== 'enum') || e.role === null) continue;
    const role = e.role;
    const owner = 'owner' in role ? ` ${role.owner.kind} ${role.owner.name}` : '';
    const member = role.kind === 'nested-struct' ? `.${role.member}` : '';
    out.push(`${e.name}: ${role.kind}${owner}${member}`);
  }
  return out;
}

const CURRENT = `
{ 'enum': 'Shape', 'data': [ 'circle', 'dot' ] }
{ 'struct': 'Circle', 'data': { 'radius': 'int' } }
{ 'union': 'Figure', 'base': { 'shape': 'Shape' }, 'discriminator': 'shape', 'data': { 'circle': 'Circle' } }
{ 'command': 'draw', 'data': { 'figure': 'Figure' } }
{ 'command': 'plain', 'data': 'Circle' }
{ 'event': 'DRAWN', 'data': { 'figure': 'Figure' } }
`;

const LEGACY = `
{ 'type': 'Disk', 'data': { 'file': 'str' } }
{ 'type': 'Tap', 'data': { 'ifname': 'str' } }
{ 'union': 'Device', 'data': { 'disk': 'Disk', 'tap': 'Tap' } }
{ 'union': 'Storage', 'data': { 'disk': 'Disk' } }
{ 'type': 'Release', 'data': { 'version': { 'major': 'int', 'parts': { 'minor': 'int' } }, 'name': 'str' } }
`;

describe('roles of implicit types', () => {
  it('the current dialect: arguments, event data, inline base, the empty object, QType', () => {
    expect(roles(load(CURRENT))).toEqual([
      'q_empty: empty-object',
      'QType: qtype',
      'q_obj_Figure-base: union-base object Figure',
      'q_obj_draw-arg: command-arguments command draw',
      'q_obj_DRAWN-arg: event-data event DRAWN',
    ]);
  });

  it('the 2012 dialect: branch wrappers (owned by the first union), tag enums, nested structs (owned by their holder)', () => {
    expect(roles(load(LEGACY, true))).toEqual([
      'q_empty: empty-object',
      'QType: qtype',
      'q_obj_Disk-wrapper: branch-wrapper object Device',
      'q_obj_Tap-wrapper: branch-wrapper object Device',
      'DeviceKind: union-tag object Device',
      'StorageKind: union-tag object Storage',
      'q_obj_q_obj_Release-version-nested-parts-nested: nested-struct object q_obj_Release-version-nested.parts',
      'q_obj_Release-version-nested: nested-struct object Release.version',
    ]);
  });

  it('types defined in the schema have no role', () => {
    const model = load(CURRENT);
    for (const name of ['Shape', 'Circle', 'Figure']) {
      const t = model.lookupType(name) as Entity & { role: unknown; implicit: boolean };
      expect(t.role, name).toBeNull();
      expect(t.implicit, name).toBe(false);
    }
  });

  it('the owner of a command or event is the entity itself', () => {
    const model = load(CURRENT);
    const args = model.lookupType('q_obj_draw-arg') as ObjectType;
    expect(args.role?.kind === 'command-arguments' && args.role.owner).toBe(model.lookupEntity('draw'));
    expect(owningDefinition(args)).toBe(model.lookupEntity('draw'));
  });

  it('a nested struct belongs to the definition its outermost holder is written in', () => {
    const model = load(LEGACY, true);
    const inner = model.lookupType('q_obj_q_obj_Release-version-nested-parts-nested') as ObjectType;
    expect(owningDefinition(inner)).toBe(model.lookupEntity('Release'));
    expect(owningDefinition(model.lookupType('q_empty') as ObjectType)).toBeNull();
  });
});
