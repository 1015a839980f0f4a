/**
 * `registry.ts`: every module's tables in one TypeRegistry (built only when
 * a program uses it: bundlers drop it otherwise), and the map from QAPI
 * type name to TypeScript type that types its guards.
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import { CLIENT_NAMES, REGISTRY_NAMES, SPAN_FILE, SPAN_NAMES } from '../naming/fixed-names.js';
import type { Plan } from '../naming/plan.js';
import { declaredName, docLine, ex, typeAlias, type FileSyntax } from '../syntax/statements.js';
import { ty, type PropertySignature } from '../syntax/type-syntax.js';
import { FileBuilder } from '../parts/file-builder.js';
import { fixedText } from '../templates.js';

/** How each mode holds the 64-bit integer types, in the registry's doc. */
const INT64_WORDS: Readonly<Record<Int64Mode, string>> = { bigint: 'bigint', number: 'number', mixed: 'number, or bigint beyond 2^53' };

export function emitRegistryFile(plan: Plan, modules: readonly FileSyntax[]): FileSyntax {
  const f = new FileBuilder(plan, 'registry');
  const typeTables: string[] = [];
  const commandTables: string[] = [];
  const eventTables: string[] = [];
  for (const m of modules) {
    const stem = m.stem;
    const ids = plan.tablesOf(stem);
    // A table exists only where the module declared one.
    const declared = new Set(m.statements.map(declaredName));
    if (declared.has(ids.types)) typeTables.push(f.importFrom(stem, ids.types));
    if (declared.has(ids.commands)) commandTables.push(f.importFrom(stem, ids.commands));
    if (declared.has(ids.events)) eventTables.push(f.importFrom(stem, ids.events));
  }
  const properties: PropertySignature[] = [];
  for (const t of plan.model.entities) {
    if (t.kind !== 'enum' && t.kind !== 'object' && t.kind !== 'alternate') continue;
    if (t.kind === 'object' && t.implicit) continue;
    if (!plan.filter.keepsEntity(t) || plan.typeId(t) === undefined) continue;
    properties.push(ty.property(t.name, f.typeOf(t)));
  }
  const tables = (ids: readonly string[]) => ex.array(ids.map((id) => ex.id(id)));
  const commandsType = ty.ref(f.importFrom('client', CLIENT_NAMES.commands));
  const eventsType = ty.ref(f.importFrom('client', CLIENT_NAMES.events));
  f.add(
    {
      kind: 'interface',
      name: REGISTRY_NAMES.types,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.types)),
      extends: [],
      properties,
    },
    typeAlias(REGISTRY_NAMES.typeName, ty.keyof(ty.ref(REGISTRY_NAMES.types))),
    {
      kind: 'const',
      name: REGISTRY_NAMES.typeTables,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.typeTables)),
      type: ty.array(f.runtimeType('TypeTable'), true),
      value: tables(typeTables),
    },
    {
      kind: 'const',
      name: REGISTRY_NAMES.commandTables,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.commandTables)),
      type: ty.array(f.runtimeType('CommandTable'), true),
      value: tables(commandTables),
    },
    {
      kind: 'const',
      name: REGISTRY_NAMES.eventTables,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.eventTables)),
      type: ty.array(f.runtimeType('EventTable'), true),
      value: tables(eventTables),
    },
    {
      kind: 'const',
      name: REGISTRY_NAMES.options,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.options)),
      type: f.runtimeType('RegistryOptions'),
      value: ex.object([
        { key: 'int64', value: ex.literal(plan.settings.int64) },
        { key: 'events', value: ex.id(REGISTRY_NAMES.eventTables) },
        // Bindings that span releases: the releases their tables count in.
        ...(plan.span ? [{ key: 'span', value: ex.id(f.importFrom(SPAN_FILE, SPAN_NAMES.span)) }] : []),
      ]),
    },
    {
      kind: 'const',
      name: REGISTRY_NAMES.registry,
      docs: docLine(fixedText('registry', REGISTRY_NAMES.registry, { int64Words: INT64_WORDS[plan.settings.int64], int64: plan.settings.int64 })),
      type: f.runtimeType('TypeRegistry', ty.ref(REGISTRY_NAMES.types), commandsType, eventsType, ...(plan.span ? [f.releaseUnion()] : [])),
      value: ex.newPure(f.importRuntime('TypeRegistry'), [], ex.id(REGISTRY_NAMES.typeTables), ex.id(REGISTRY_NAMES.commandTables), ex.id(REGISTRY_NAMES.options)),
    },
  );
  return f.finish();
}
