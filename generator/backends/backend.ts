/**
 * What an output is: a backend takes a model, the selection made of it and
 * the run's settings, and gives files; it knows nothing of where the model
 * came from (the input resolver's) or where the files go (the CLI's
 * writer's).  In the spirit of QEMU's scripts/qapi backends and
 * protobuf-es plugins.  index.ts registers every backend.
 */
import type { GeneratedFile } from '../emit/output/generated-file.js';
import type { ResolvedInput } from '../input/source.js';
import type { SchemaModel } from '../model/types.js';
import type { Filter } from '../select/filter.js';
import type { BackendSettingGroup, Settings } from '../settings/table.js';

export type { GeneratedFile };

/** What the model was read from, as outputs name it. */
export type InputDescription = Pick<ResolvedInput, 'origin' | 'name' | 'label' | 'level' | 'introspection'>;

/** What a backend is given. */
export interface BackendRun {
  readonly model: SchemaModel;
  readonly input: InputDescription;
  /** What `--if`, `--only` and `--no-unstable` keep (select/filter.ts). */
  readonly selection: Filter;
  /** Every setting, complete (settings/table.ts). */
  readonly settings: Settings;
  /** Where a backend run again and again on one input (generate --watch)
   *  may keep what it can reuse from run to run; absent for a single run. */
  readonly keep?: Map<string, unknown> | undefined;
}

export interface BackendOutput {
  /** Paths relative to the output directory. */
  readonly files: readonly GeneratedFile[];
  /** What the user should know, each one line. */
  readonly warnings: readonly string[];
}

export interface Backend {
  /** How `--backend` names it. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /**
   * The backends' groups of settings it reads, besides the selection and
   * the writer every run has: a flag of another backend's group given with
   * this one is a usage error rather than silently unread.
   */
  readonly reads: readonly BackendSettingGroup[];
  generate(run: BackendRun): BackendOutput;
  /**
   * Whether a file found in an output directory is one this backend
   * writes (`read` gives its text): a new set of files without it removes
   * it, and any other file is the user's and is kept.
   */
  owns(name: string, read: () => string | undefined): boolean;
}

/** A backend that cannot be had: a name nothing is registered under, or
 *  an input the backend does not take. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}
