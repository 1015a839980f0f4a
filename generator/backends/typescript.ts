/**
 * The TypeScript bindings (emit/): one file per QAPI module, registry.ts,
 * client.ts and index.ts, as TypeScript (`--target ts`) or as JavaScript
 * with declarations (`--target js+dts`, the default).
 */
import { emitSelected, printBindings } from '../emit/pipeline.js';
import type { GeneratedFile } from '../emit/output/generated-file.js';
import type { FileSyntax } from '../emit/syntax/statements.js';
import { isGeneratedFile } from '../emit/templates.js';
import type { Settings } from '../settings/table.js';
import type { Backend } from './backend.js';

const PRINTED = 'typescript:printed:';

/** A file's statements (as JSON: the statements are plain data, and
 *  comparing their text is much quicker than walking them) and what
 *  printing them gave, kept between runs. */
interface Printed {
  readonly syntax: string;
  readonly schemaFile: string;
  readonly target: Settings['target'];
  readonly files: readonly GeneratedFile[];
}

/**
 * Prints the files, reusing what an earlier run of a watch printed for a
 * file whose statements are the same (printing is most of the work after
 * an edit to one module, and most files do not change).
 */
function printKept(syntax: readonly FileSyntax[], schemaFile: string, settings: Settings, keep: Map<string, unknown>): GeneratedFile[] {
  const keys = new Set(syntax.map((file) => `${PRINTED}${file.stem}`));
  // A file no longer emitted is not kept either.
  for (const key of keep.keys()) if (key.startsWith(PRINTED) && !keys.has(key)) keep.delete(key);
  return syntax.flatMap((file) => {
    const key = `${PRINTED}${file.stem}`;
    const kept = keep.get(key) as Printed | undefined;
    const text = JSON.stringify(file);
    if (kept !== undefined && kept.schemaFile === schemaFile && kept.target === settings.target && kept.syntax === text) return kept.files;
    const files = printBindings([file], schemaFile, settings);
    keep.set(key, { syntax: text, schemaFile, target: settings.target, files } satisfies Printed);
    return files;
  });
}

export const typescriptBackend: Backend = {
  name: 'typescript',
  description: 'TypeScript bindings: types, command wrappers, validators, errors, events (--target ts or js+dts)',
  reads: ['typescript'],
  generate: ({ model, input, selection, settings, keep }) => {
    const syntax = emitSelected(model, selection, settings);
    return {
      files: keep === undefined ? printBindings(syntax, input.name, settings) : printKept(syntax, input.name, settings, keep),
      warnings: [],
    };
  },
  owns: isGeneratedFile,
};
