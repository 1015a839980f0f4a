/**
 * What is known of each built-in backend before any of them is loaded:
 * its name, its description, the settings it reads and how it tells its
 * files.  That is all a `generate` whose output is up to date needs (the
 * stamp answers: cli/writer/stamp.ts), and the emitters and what they load
 * are not loaded for it.  Each backend's module spreads its entry here;
 * index.ts registers the backends.
 */
import { isGeneratedFile } from '../emit/templates.js';
import type { Backend } from './backend.js';

/** A backend without its generate(). */
export type BackendInfo = Omit<Backend, 'generate'>;

export const TYPESCRIPT_BACKEND: BackendInfo = {
  name: 'typescript',
  description: 'TypeScript bindings: types, command wrappers, validators, errors, events (--target ts or js+dts)',
  reads: ['typescript'],
  owns: isGeneratedFile,
};

/** The one file the jsonschema backend writes. */
export const JSON_SCHEMA_FILE = 'qmp.schema.json';

export const JSON_SCHEMA_BACKEND: BackendInfo = {
  name: 'jsonschema',
  description: "JSON Schema (2020-12) for every command's arguments and return value and every event's data, one file",
  reads: [],
  owns: (name) => name === JSON_SCHEMA_FILE,
};

/** In registration order. */
export const BUILT_IN_BACKENDS: readonly BackendInfo[] = [TYPESCRIPT_BACKEND, JSON_SCHEMA_BACKEND];

/** The backend `generate` uses unless told otherwise. */
export const DEFAULT_BACKEND = TYPESCRIPT_BACKEND.name;
