/**
 * `qapi-ts generate --introspection FILE | --qemu BINARY [--names-from SCHEMA] -o DIR`:
 * bindings for what a QEMU binary reports about itself, written (or
 * checked, with --check) exactly like bindings from a schema file.
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import type { OutputTarget } from '../emit/output/render.js';
import { generateFromModel } from '../emit/pipeline.js';
import { asUsageError, deliver, staleOutput } from './deliver.js';
import { loadIntrospected, type IntrospectionFlags } from './introspection-input.js';
import type { CliIo } from './io.js';

export interface IntrospectedGenerateSettings {
  readonly output: string;
  readonly ifSymbols: readonly string[] | undefined;
  readonly only: readonly string[] | undefined;
  readonly noUnstable: boolean;
  readonly runtime: string;
  readonly target: OutputTarget | undefined;
  readonly format: boolean;
  readonly int64: Int64Mode;
  readonly check: boolean;
}

export async function generateIntrospected(flags: IntrospectionFlags, settings: IntrospectedGenerateSettings, io: CliIo): Promise<void> {
  const { model, label } = await loadIntrospected(flags, io);
  const files = await generateFromModel(model, label, {
    ifSymbols: settings.ifSymbols,
    only: settings.only,
    noUnstable: settings.noUnstable,
    runtime: settings.runtime,
    target: settings.target,
    int64: settings.int64,
  }).catch(asUsageError);
  const stale = await deliver(files, settings.output, settings, io);
  if (stale.length > 0) throw staleOutput(stale);
}
