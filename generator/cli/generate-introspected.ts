/**
 * `qapi-ts generate --introspection FILE | --qemu BINARY [--names-from SCHEMA] -o DIR`:
 * bindings for what a QEMU binary reports about itself, written (or
 * checked, with --check) exactly like bindings from a schema file.
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import { compareOutput, writeOutput } from '../emit/output/write.js';
import { generateFromModel } from '../emit/pipeline.js';
import { loadIntrospected, type IntrospectionFlags } from './introspection-input.js';
import { CliExit, EXIT, type CliIo } from './io.js';

export interface IntrospectedGenerateSettings {
  readonly output: string;
  readonly ifSymbols: readonly string[] | undefined;
  readonly noUnstable: boolean;
  readonly runtime: string;
  readonly int64: Int64Mode;
  readonly cacheDir: string | null;
  readonly check: boolean;
}

export async function generateIntrospected(flags: IntrospectionFlags, settings: IntrospectedGenerateSettings, io: CliIo): Promise<void> {
  const { model, label } = await loadIntrospected(flags, io);
  const files = await generateFromModel(model, label, {
    ifSymbols: settings.ifSymbols,
    noUnstable: settings.noUnstable,
    runtime: settings.runtime,
    int64: settings.int64,
    cacheDir: settings.cacheDir,
  });
  if (settings.check) {
    const changes = compareOutput(settings.output, files);
    if (changes.length > 0) {
      const list = changes.map((d) => `  ${d.change}: ${d.path}`).join('\n');
      throw new CliExit(EXIT.schema, `qapi-ts: generated files are out of date:\n${settings.output}:\n${list}\nRun qapi-ts generate to update them.`);
    }
    return;
  }
  const written = writeOutput(settings.output, files);
  io.stdout(`${written.length === 0 ? 'up to date' : `${written.length} file(s) updated`}: ${settings.output}\n`);
}
