/**
 * The file of one QAPI module, in definition order: each type's
 * declaration and its run-time descriptor, each command's function and
 * descriptor and the Standard Schema validator of its arguments; then the
 * module's tables of types, commands and events for the registry.
 */
import type { Command, Entity, Event, QapiType } from '../../model/types.js';
import type { Plan } from '../naming/plan.js';
import { emitArgumentsSchema } from '../parts/arguments-schema.js';
import { emitCommandFunction } from '../parts/commands.js';
import { emitTypeDeclaration } from '../parts/declarations.js';
import { emitCommandDescriptor, emitTables, emitTypeDescriptor } from '../parts/descriptors.js';
import { moduleOverview } from '../parts/docs.js';
import type { FileSyntax } from '../syntax/statements.js';
import { FileBuilder, type FilePart } from '../parts/file-builder.js';

/** Where a caller that emits again and again (emit/kept.ts) keeps what
 *  each entity added to its module's file, and finds it again while
 *  nothing it is made of changed. */
export interface EntityParts {
  find(e: Entity): FilePart | undefined;
  keep(e: Entity, part: FilePart): void;
}

/** The module's file, or null when nothing of it is emitted (or all it
 *  has are built-in types, which are declared nowhere). */
export function emitModuleFile(plan: Plan, moduleName: string, errorClasses: ReadonlySet<string>, parts?: EntityParts): FileSyntax | null {
  const entities = plan.entitiesOf(moduleName);
  if (entities.length === 0) return null;
  const stem = plan.fileOf(moduleName);
  const f = new FileBuilder(plan, stem, moduleName);
  const types: QapiType[] = [];
  const commands: Command[] = [];
  const events: Event[] = [];
  const emit = (e: Entity): void => {
    if (e.kind === 'command') {
      emitCommandFunction(f, e, errorClasses);
      emitCommandDescriptor(f, e, errorClasses);
      emitArgumentsSchema(f, e);
    } else if (e.kind !== 'event' && e.kind !== 'include') {
      emitTypeDeclaration(f, e);
      emitTypeDescriptor(f, e);
    }
  };
  for (const e of entities) {
    const kept = parts?.find(e);
    if (kept !== undefined) f.addPart(kept);
    else if (parts !== undefined) parts.keep(e, f.part(() => emit(e)));
    else emit(e);
    if (e.kind === 'command') commands.push(e);
    else if (e.kind === 'event') events.push(e);
    else if (e.kind !== 'include') types.push(e);
  }
  emitTables(f, types, commands, events, plan.tablesOf(stem));
  const file = f.finish();
  if (file.statements.length === 0) return null;
  const overview = moduleOverview(plan.model.modules.find((m) => m.name === moduleName)?.overview ?? [], f.docLinks);
  return overview ? { ...file, overview } : file;
}
