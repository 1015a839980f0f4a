/**
 * The TypeScript bindings (emit/): one file per QAPI module, registry.ts,
 * client.ts and index.ts, as TypeScript (`--target ts`) or as JavaScript
 * with declarations (`--target js+dts`, the default).
 */
import { KeptBindings } from '../emit/kept.js';
import { emitSelected, printBindings } from '../emit/pipeline.js';
import type { Backend } from './backend.js';
import { TYPESCRIPT_BACKEND } from './built-in.js';

/** Where a run again and again (generate --watch) keeps its files. */
const KEPT = 'typescript:kept';

export const typescriptBackend: Backend = {
  ...TYPESCRIPT_BACKEND,
  generate: ({ model, input, selection, settings, keep }) => {
    if (keep === undefined) return { files: printBindings(emitSelected(model, selection, settings), input.name, settings), warnings: [] };
    let kept = keep.get(KEPT);
    if (!(kept instanceof KeptBindings)) keep.set(KEPT, (kept = new KeptBindings()));
    return { files: (kept as KeptBindings).generate(model, selection, settings, input.name), warnings: [] };
  },
};
