/**
 * `registry.ts`: every module's tables in one TypeRegistry, and the map
 * from QAPI type name to TypeScript type that types its guards.
 */
import { FileEmitter } from './file-emitter.js';
import { propertyKey } from './names.js';
import type { Plan } from './plan.js';
import { ENGINE_TYPES, ENGINE_VALUES } from './runtime-names.js';
import type { FileStructure } from './structures.js';

export function emitRegistryFile(plan: Plan, modules: readonly FileStructure[]): FileStructure {
  const f = new FileEmitter(plan, 'registry');
  const typeTables: string[] = [];
  const commandTables: string[] = [];
  for (const m of modules) {
    const stem = m.path.replace(/\.ts$/, '');
    const ids = plan.tablesOf(stem);
    // A table exists only where the module declared one.
    const declared = new Set(
      m.statements.flatMap((s) => (s.tag === 'variable' ? s.structure.declarations.map((d) => d.name) : [])),
    );
    if (declared.has(ids.types)) typeTables.push(f.importValue(stem, ids.types));
    if (declared.has(ids.commands)) commandTables.push(f.importValue(stem, ids.commands));
  }
  const properties = [];
  for (const t of plan.model.entities) {
    if (t.kind !== 'enum' && t.kind !== 'object' && t.kind !== 'alternate') continue;
    if (t.kind === 'object' && t.implicit) continue;
    if (!plan.filter.keepsEntity(t) || plan.typeId(t) === undefined) continue;
    properties.push({ name: propertyKey(t.name), type: f.typeText(t) });
  }
  f.importFrom(plan.runtime, 'TypeRegistry', false);
  f.importFrom('./client.js', 'Commands', true);
  f.add(
    {
      tag: 'interface',
      structure: {
        name: 'Types',
        isExported: true,
        docs: [{ description: 'Every named type of the schema, by its QAPI name.' }],
        properties,
      },
    },
    { tag: 'type', structure: { name: 'TypeName', isExported: true, type: 'keyof Types' } },
    {
      tag: 'variable',
      structure: {
        isExported: true,
        docs: [{ description: 'The schema at run time: validators for every type and every command.' }],
        declarations: [
          {
            name: 'registry',
            initializer: `new TypeRegistry<Types, Commands>([${typeTables.join(', ')}], [${commandTables.join(', ')}])`,
          },
        ],
      },
    },
  );
  return f.finish();
}

/** `index.ts`: every file, and the runtime's engine names a user of the
 *  bindings needs (validation error, option types, tables). */
export function emitIndexFile(plan: Plan, files: readonly FileStructure[]): FileStructure {
  const f = new FileEmitter(plan, 'index');
  f.add(
    { tag: 'export', moduleSpecifier: plan.runtime, typeOnly: false, names: [...ENGINE_VALUES] },
    { tag: 'export', moduleSpecifier: plan.runtime, typeOnly: true, names: [...ENGINE_TYPES] },
  );
  for (const file of files) {
    f.add({ tag: 'export', moduleSpecifier: `./${file.path.replace(/\.ts$/, '.js')}`, typeOnly: false });
  }
  return f.finish();
}
