/**
 * `qapi-ts jsonschema [SCHEMA] [-o FILE] [--introspection FILE | --qemu BINARY [--names-from SCHEMA]] [--qemu-version X.Y]`:
 * JSON Schema (2020-12) for every command's arguments and return value and
 * every event's data; written to FILE (atomically) or printed.
 */
import type { Command } from 'commander';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { jsonSchemaOf, renderJsonSchema } from '../jsonschema/jsonschema.js';
import { loadIntrospected, INTROSPECTION_OPTIONS, wantsIntrospection, type IntrospectionFlags } from './introspection-input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';
import { loadModelInput } from './model-input.js';

interface JsonSchemaFlags extends IntrospectionFlags {
  output?: string;
}

export function registerJsonSchema(program: Command, io: CliIo): void {
  addLanguageOptions(
    program
      .command('jsonschema')
      .description("write JSON Schema (2020-12) for every command's arguments and return value and every event's data")
      .argument('[schema]', 'the root schema file (or a query-qmp-schema capture); or use --introspection / --qemu'),
  )
    .option('-o, --output <file>', 'write the schema here (default: print it)')
    .option(...INTROSPECTION_OPTIONS.introspection)
    .option(...INTROSPECTION_OPTIONS.qemu)
    .option(...INTROSPECTION_OPTIONS.namesFrom)
    .action(async (schemaPath: string | undefined, flags: JsonSchemaFlags) => {
      if ((schemaPath === undefined) === !wantsIntrospection(flags)) {
        throw new CliExit(EXIT.usage, 'qapi-ts: jsonschema needs a schema file, or --introspection FILE or --qemu BINARY (one of them)');
      }
      let input: { model: Parameters<typeof jsonSchemaOf>[0]; label: string; folded: boolean };
      if (schemaPath !== undefined) {
        const loaded = loadModelInput(schemaPath, flags, io);
        input = { model: loaded.model, label: basename(schemaPath), folded: loaded.kind === 'introspection' };
      } else {
        const loaded = await loadIntrospected(flags, io);
        input = { model: loaded.model, label: loaded.label, folded: true };
      }
      const text = renderJsonSchema(jsonSchemaOf(input.model, { title: input.label, foldedIntegers: input.folded }));
      if (flags.output === undefined) {
        io.stdout(text);
        return;
      }
      // Written beside the target, then renamed: a failure leaves the old
      // file, and nothing beside it.
      const staging = join(dirname(flags.output), `.${basename(flags.output)}.qapi-ts-${process.pid}`);
      try {
        writeFileSync(staging, text);
        renameSync(staging, flags.output);
      } catch (e) {
        if (existsSync(staging)) rmSync(staging);
        throw new CliExit(EXIT.usage, `qapi-ts: cannot write ${flags.output}: ${(e as Error).message}`);
      }
    });
}
