/**
 * The file of one QAPI module: its types' declarations, then the run-time
 * tables of its types, commands and events.
 */
import type { Command, Event, QapiType } from '../../model/types.js';
import type { Plan } from '../naming/plan.js';
import { emitTypeDeclaration } from '../parts/declarations.js';
import { moduleOverview } from '../parts/docs.js';
import { emitCommandTable, emitEventTable, emitTypeTable } from '../parts/descriptors.js';
import type { FileSyntax } from '../syntax/statements.js';
import { FileBuilder } from '../parts/file-builder.js';

/** The module's file, or null when nothing of it is emitted. */
export function emitModuleFile(plan: Plan, moduleName: string, errorClasses: ReadonlySet<string>): FileSyntax | null {
  const entities = plan.entitiesOf(moduleName);
  if (entities.length === 0) return null;
  const stem = plan.fileOf(moduleName);
  const f = new FileBuilder(plan, stem, moduleName);
  const types: QapiType[] = [];
  const commands: Command[] = [];
  const events: Event[] = [];
  for (const e of entities) {
    if (e.kind === 'command') commands.push(e);
    else if (e.kind === 'event') events.push(e);
    else if (e.kind !== 'include') {
      emitTypeDeclaration(f, e);
      types.push(e);
    }
  }
  const tables = plan.tablesOf(stem);
  emitTypeTable(f, types, tables.types);
  emitCommandTable(f, commands, tables.commands, errorClasses);
  emitEventTable(f, events, tables.events);
  const overview = moduleOverview(plan.model.modules.find((m) => m.name === moduleName)?.overview ?? [], f.docLinks);
  return { ...f.finish(), ...(overview ? { overview } : {}) };
}
