/**
 * What `generate` and `jsonschema` share between reading their input and
 * writing: the backend's files for the model read, its warnings printed,
 * and an option the selection cannot meet (an `--only` name that names
 * nothing) or an unknown backend as usage errors.
 */
import { BackendError, findBackend, type Backend } from '../backends/index.js';
import { generateFrom } from '../generate.js';
import type { ResolvedInput } from '../input/source.js';
import { SelectionError } from '../select/filter.js';
import type { Settings } from '../settings/table.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import type { Output } from './writer/deliver.js';

function usage(e: unknown): never {
  if (e instanceof SelectionError || e instanceof BackendError) {
    throw new CliExit(EXIT.usage, e.message.split('\n').map((l) => `qapi-ts: ${l}`).join('\n'));
  }
  throw e;
}

/** The backend `--backend NAME` names. */
export function backendNamed(name: string): Backend {
  try {
    return findBackend(name);
  } catch (e) {
    return usage(e);
  }
}

/** What a backend produced for the writer, and the warnings printed. */
export interface Produced extends Output {
  readonly warnings: readonly string[];
}

/** `keep`: what the backend keeps between runs of a watch (BackendRun.keep). */
export function produce(input: ResolvedInput, backend: Backend, settings: Settings, io: CliIo, keep?: Map<string, unknown>): Produced {
  let made: ReturnType<typeof generateFrom>;
  try {
    made = generateFrom(input, backend, settings, keep);
  } catch (e) {
    return usage(e);
  }
  for (const w of made.warnings) io.stderr(`${w}\n`);
  return { files: made.files, owns: backend.owns, warnings: made.warnings };
}
