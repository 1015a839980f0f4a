/**
 * The TypeScript bindings (emit/): one file per QAPI module, registry.ts,
 * client.ts and index.ts, as TypeScript (`--target ts`) or as JavaScript
 * with declarations (`--target js+dts`, the default).
 */
import { KeptBindings } from '../emit/kept.js';
import { emitSelected, printBindings } from '../emit/pipeline.js';
import { isGeneratedFile } from '../emit/templates.js';
import type { Backend } from './backend.js';

/** Where a run again and again (generate --watch) keeps its files. */
const KEPT = 'typescript:kept';

export const typescriptBackend: Backend = {
  name: 'typescript',
  description: 'TypeScript bindings: types, command wrappers, validators, errors, events (--target ts or js+dts)',
  reads: ['typescript'],
  generate: ({ model, input, selection, settings, keep }) => {
    if (keep === undefined) return { files: printBindings(emitSelected(model, selection, settings), input.name, settings), warnings: [] };
    let kept = keep.get(KEPT);
    if (!(kept instanceof KeptBindings)) keep.set(KEPT, (kept = new KeptBindings()));
    return { files: (kept as KeptBindings).generate(model, selection, settings, input.name), warnings: [] };
  },
  owns: isGeneratedFile,
};
