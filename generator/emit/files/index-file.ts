/**
 * `index.ts`: every file, and the runtime's engine names a user of the
 * bindings needs (validation error, option types, tables).
 */
import type { Plan } from '../naming/plan.js';
import { REEXPORTED_TYPES, REEXPORTED_VALUES } from '../naming/runtime-names.js';
import type { FileSyntax } from '../syntax/statements.js';
import { FileBuilder } from '../parts/file-builder.js';

export function emitIndexFile(plan: Plan, files: readonly FileSyntax[]): FileSyntax {
  const f = new FileBuilder(plan, 'index');
  f.add(
    { kind: 'export-from', from: plan.settings.runtime, typeOnly: false, names: REEXPORTED_VALUES },
    { kind: 'export-from', from: plan.settings.runtime, typeOnly: true, names: REEXPORTED_TYPES },
  );
  for (const file of files) f.add({ kind: 'export-from', from: `./${file.stem}.js`, typeOnly: false });
  return f.finish();
}
