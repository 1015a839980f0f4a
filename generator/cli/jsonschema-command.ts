/**
 * `qapi-ts jsonschema (SCHEMA | --introspection FILE | --qemu BINARY [--names-from SCHEMA]) [-o FILE]`:
 * the JSON Schema backend (backends/jsonschema.ts) as a verb of its own,
 * its one file written to FILE (renamed into place, `--check` compares) or
 * printed.  The input and the selection (`--if`, `--only`,
 * `--no-unstable`) are those of `generate`.
 */
import type { Command } from 'commander';
import { jsonSchemaBackend } from '../backends/jsonschema.js';
import { resolveSettings, SETTINGS } from '../settings/table.js';
import { addIntrospectionOptions, fileSource, introspectionSource, readInput, wantsIntrospection, type IntrospectionFlags } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';
import { produce } from './produce.js';
import { addSettingFlags, flagSettings } from './settings-flags.js';
import { deliver, staleOutput } from './writer/deliver.js';

interface JsonSchemaFlags extends IntrospectionFlags {
  output?: string;
  check?: boolean;
}

/** The settings this verb takes: the selection's. */
const SELECTION = Object.fromEntries(Object.entries(SETTINGS).filter(([, s]) => s.group === 'selection'));

export function registerJsonSchema(program: Command, io: CliIo): void {
  const command = program
    .command('jsonschema')
    .description("write JSON Schema (2020-12) for every command's arguments and return value and every event's data")
    .argument('[schema]', 'the root schema file (or a query-qmp-schema capture); or use --introspection / --qemu')
    .option('-o, --output <file>', 'write the schema here (default: print it)')
    .option('--check', 'write nothing; exit 1 when FILE differs from what would be written');
  addIntrospectionOptions(addLanguageOptions(command));
  addSettingFlags(command, SELECTION).action(async (schemaPath: string | undefined, flags: JsonSchemaFlags) => {
    if ((schemaPath === undefined) === !wantsIntrospection(flags)) {
      throw new CliExit(EXIT.usage, 'qapi-ts: jsonschema needs a schema file, or --introspection FILE or --qemu BINARY (one of them)');
    }
    const input = await readInput(schemaPath !== undefined ? fileSource('file', schemaPath, flags) : introspectionSource(flags), io);
    const output = produce(input, jsonSchemaBackend, resolveSettings(flagSettings(command), {}), io);
    const to = flags.output === undefined ? ({ kind: 'stdout' } as const) : ({ kind: 'file', path: flags.output } as const);
    const stale = await deliver(output, to, { check: flags.check ?? false, format: false }, io);
    if (stale.length > 0) throw staleOutput(stale, 'jsonschema');
  });
}
