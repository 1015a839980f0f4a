/**
 * `registry.ts`: every module's tables in one TypeRegistry, and the map
 * from QAPI type name to TypeScript type that types its guards.
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import { CLIENT_NAMES, REGISTRY_NAMES } from '../naming/fixed-names.js';
import type { Plan } from '../naming/plan.js';
import { declaredName, docLine, ex, typeAlias, type FileSyntax } from '../syntax/statements.js';
import { ty, type PropertySignature } from '../syntax/type-syntax.js';
import { FileBuilder } from '../parts/file-builder.js';

/** How each mode holds the 64-bit integer types, in the registry's doc. */
const INT64_WORDS: Readonly<Record<Int64Mode, string>> = { bigint: 'bigint', number: 'number', mixed: 'number, or bigint beyond 2^53' };

export function emitRegistryFile(plan: Plan, modules: readonly FileSyntax[]): FileSyntax {
  const f = new FileBuilder(plan, 'registry');
  const typeTables: string[] = [];
  const commandTables: string[] = [];
  const eventTables: string[] = [];
  for (const m of modules) {
    const stem = m.path.replace(/\.ts$/, '');
    const ids = plan.tablesOf(stem);
    // A table exists only where the module declared one.
    const declared = new Set(m.statements.map(declaredName));
    if (declared.has(ids.types)) typeTables.push(f.importValue(stem, ids.types));
    if (declared.has(ids.commands)) commandTables.push(f.importValue(stem, ids.commands));
    if (declared.has(ids.events)) eventTables.push(f.importValue(stem, ids.events));
  }
  const properties: PropertySignature[] = [];
  for (const t of plan.model.entities) {
    if (t.kind !== 'enum' && t.kind !== 'object' && t.kind !== 'alternate') continue;
    if (t.kind === 'object' && t.implicit) continue;
    if (!plan.filter.keepsEntity(t) || plan.typeId(t) === undefined) continue;
    properties.push(ty.property(t.name, f.typeOf(t)));
  }
  const tables = (ids: readonly string[]) => ex.array(ids.map((id) => ex.id(id)));
  f.add(
    {
      kind: 'interface',
      name: REGISTRY_NAMES.types,
      docs: docLine('Every named type of the schema, by its QAPI name.'),
      extends: [],
      properties,
    },
    typeAlias(REGISTRY_NAMES.typeName, ty.keyof(ty.ref(REGISTRY_NAMES.types))),
    {
      kind: 'const',
      name: REGISTRY_NAMES.registry,
      docs: docLine(
        [
          'The schema at run time: validators for every type and every command, and how',
          `replies are read (64-bit integers as ${INT64_WORDS[plan.int64]}: --int64 ${plan.int64}).  Connect with`,
          '`{ bindings: registry }` to have events typed and read so too.',
        ].join('\n'),
      ),
      value: ex.new(
        f.importRuntime('TypeRegistry'),
        [ty.ref(REGISTRY_NAMES.types), ty.ref(f.importType('client', CLIENT_NAMES.commands)), ty.ref(f.importType('client', CLIENT_NAMES.events))],
        tables(typeTables),
        tables(commandTables),
        { kind: 'object', properties: [{ key: 'int64', value: ex.literal(plan.int64) }, { key: 'events', value: tables(eventTables) }] },
      ),
    },
  );
  return f.finish();
}
