/**
 * Loads schemas from in-memory files, for unit tests of the front end.
 */
import { loadSchema, type LoadedSchema, type LoadOptions } from '../../generator/frontend.js';
import { formatDiagnostic, SchemaError } from '../../generator/source/diagnostics.js';

export function memoryReader(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) {
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    }
    return text;
  };
}

/** Loads `files['main.json']`; returns the model, or the formatted errors. */
/** The language options a test may set. */
export type MemoryOptions = Pick<LoadOptions, 'legacy' | 'qemuVersion' | 'suggestLanguage'>;

export function loadMemory(
  files: Record<string, string>,
  options: MemoryOptions = {},
): { ok: true; loaded: LoadedSchema } | { ok: false; errors: string[]; error: SchemaError } {
  try {
    return { ok: true, loaded: loadSchema('main.json', { ...options, readFile: memoryReader(files) }) };
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    return { ok: false, errors: e.diagnostics.map((d) => formatDiagnostic(d)), error: e };
  }
}

/** The first error's `FILE:LINE` and message line. */
export function firstError(files: Record<string, string>, options: MemoryOptions = {}): string {
  const result = loadMemory(files, options);
  if (result.ok) return 'no error';
  const lines = result.errors[0]!.split('\n');
  return lines.find((l) => /^\S+:\d+(:\d+)?: /.test(l)) ?? lines[0]!;
}
