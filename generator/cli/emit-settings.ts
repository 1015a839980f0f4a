/**
 * What `generate` emits, whatever its input (a schema file or a QEMU's
 * introspection): flags over the config file, resolved once.
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import type { EmitOptions } from '../emit/pipeline.js';
import type { OutputTarget } from '../emit/output/render.js';

export interface EmitSettings extends EmitOptions {
  readonly ifSymbols: readonly string[] | undefined;
  readonly only: readonly string[] | undefined;
  readonly noUnstable: boolean;
  readonly runtime: string;
  readonly target: OutputTarget | undefined;
  /** Run the user's prettier over the output. */
  readonly format: boolean;
  /** Keep the output directory a symbolic link, replaced in one step. */
  readonly symlink: boolean;
  readonly int64: Int64Mode;
}
