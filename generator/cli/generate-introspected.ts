/**
 * `qapi-ts generate --introspection FILE | --qemu BINARY [--names-from SCHEMA] -o DIR`:
 * bindings for what a QEMU binary reports about itself, written (or
 * checked, with --check) exactly like bindings from a schema file.
 */
import { generateFromModel } from '../emit/pipeline.js';
import { deliver, staleOutput } from './writer/deliver.js';
import { asUsageError } from './generate-command.js';
import { isGeneratedFile } from '../emit/templates.js';
import { loadIntrospected, type IntrospectionFlags } from './introspection-input.js';
import type { CliIo } from './io.js';
import type { Settings } from '../settings/table.js';

/** Emit settings, as for a schema file, and where the bindings go. */
export interface IntrospectedGenerateSettings extends Settings {
  readonly output: string;
  readonly check: boolean;
}

export async function generateIntrospected(flags: IntrospectionFlags, settings: IntrospectedGenerateSettings, io: CliIo): Promise<void> {
  const { model, label } = await loadIntrospected(flags, io);
  let files;
  try {
    files = generateFromModel(model, label, settings);
  } catch (e) {
    asUsageError(e);
  }
  const stale = await deliver({ files: files!, owns: isGeneratedFile }, { kind: 'directory', path: settings.output, symlink: settings.symlink }, settings, io);
  if (stale.length > 0) throw staleOutput(stale);
}
