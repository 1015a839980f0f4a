/**
 * The registration point of the outputs: every backend qapi-ts has, by
 * name.  A new output is a file beside this one, its entry in built-in.ts
 * and a line in BUILT_IN;
 * `generate --backend NAME` and the library's generate() find it here.
 */
import { BackendError, type Backend } from './backend.js';
import { BUILT_IN_BACKENDS } from './built-in.js';
import { jsonSchemaBackend } from './jsonschema.js';
import { typescriptBackend } from './typescript.js';

export type { Backend, BackendOutput, BackendRun, InputDescription } from './backend.js';

const BUILT_IN: readonly Backend[] = [typescriptBackend, jsonSchemaBackend];

export { DEFAULT_BACKEND } from './built-in.js';

const registered = new Map<string, Backend>();

export { BackendError } from './backend.js';

/** Adds a backend (a second one under a taken name is refused); returns
 *  how to remove it again. */
export function registerBackend(backend: Backend): () => void {
  if (registered.has(backend.name)) throw new Error(`a backend named '${backend.name}' is registered already`);
  registered.set(backend.name, backend);
  return () => {
    registered.delete(backend.name);
  };
}

for (const backend of BUILT_IN) registerBackend(backend);
// Each built-in backend is the one built-in.ts describes, in its order.
if (BUILT_IN.map((b) => b.name).join() !== BUILT_IN_BACKENDS.map((b) => b.name).join()) throw new Error('backends/built-in.ts and BUILT_IN list different backends');

export function findBackend(name: string): Backend {
  const backend = registered.get(name);
  if (backend === undefined) throw new BackendError(`unknown backend '${name}': give one of ${backendNames().join(', ')}`);
  return backend;
}

/** Every registered backend's name, in registration order. */
export function backendNames(): string[] {
  return [...registered.keys()];
}
