/**
 * The TypeScript bindings (emit/): one file per QAPI module, registry.ts,
 * client.ts and index.ts, as TypeScript (`--target ts`) or as JavaScript
 * with declarations (`--target js+dts`, the default).
 */
import { emitSelected, printBindings } from '../emit/pipeline.js';
import { isGeneratedFile } from '../emit/templates.js';
import type { Backend } from './backend.js';

export const typescriptBackend: Backend = {
  name: 'typescript',
  description: 'TypeScript bindings: types, command wrappers, validators, errors, events (--target ts or js+dts)',
  generate: ({ model, input, selection, settings }) => ({
    files: printBindings(emitSelected(model, selection, settings), input.name, settings),
    warnings: [],
  }),
  owns: isGeneratedFile,
};
