/**
 * The schema `qmp` and `shell` check calls against, in this order:
 *
 * 1. `--schema FILE` (a schema's root file, or a captured query-qmp-schema
 *    reply, told apart by content) or `--introspection FILE` (a capture);
 * 2. the config file's `schema` (it counts as given);
 * 3. else the connected QEMU's own: its query-qmp-schema, asked on the
 *    connection the verb already has.
 *
 * Either way it becomes one model and the runtime's tables (TypeRegistry):
 * the validators, completion and `help` read the same thing.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { QmpError, TypeRegistry, type QmpClient } from 'qapi-ts-runtime';
import { buildTables } from '../emit/parts/descriptors.js';
import { versionText } from '../introspect/index.js';
import type { ResolvedInput } from '../input/source.js';
import type { SchemaModel } from '../model/types.js';
import { resolveSettings } from '../settings/table.js';
import { formatDiagnostic, SchemaError } from '../source/diagnostics.js';
import { chooseSchemas, loadConfig, type GenerateConfig } from './config.js';
import { fileSource, readInput } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions, type LanguageFlags } from './language.js';

export interface SchemaFlags extends LanguageFlags {
  schema?: string;
  introspection?: string;
  config?: string;
}

/** Adds the flags that give the schema (and its language) to `qmp` or `shell`. */
export function addSchemaOptions(command: Command): Command {
  return addLanguageOptions(
    command
      .option('--schema <file>', "the schema to check against: a schema's root file or a captured query-qmp-schema reply (default: from qapi-ts.config.json, else the QEMU's own)")
      .option('--introspection <file>', 'a captured query-qmp-schema reply to check against')
      .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)'),
  );
}

/** A schema ready to check calls against and to describe commands from. */
export interface CallSchema {
  readonly model: SchemaModel;
  readonly registry: TypeRegistry;
  /** Every command name, for suggestions and completion. */
  readonly commands: readonly string[];
  /** Every event name. */
  readonly events: readonly string[];
  /** How messages name it: `the schema qapi-schema.json`, `the schema of QEMU 10.0.2 (query-qmp-schema)`. */
  readonly label: string;
  /** Whether it carries documentation (a source schema does; introspection has none). */
  readonly documented: boolean;
}

function callSchema(input: ResolvedInput, config: GenerateConfig, label: string): CallSchema {
  // The config's selection (--if, --no-unstable) applies as for the bindings.
  const tables = buildTables(input.model, resolveSettings({}, config.settings));
  return {
    model: input.model,
    registry: new TypeRegistry([tables.types], [tables.commands], { events: [tables.events] }),
    commands: tables.commands.map((c) => c.name),
    events: tables.events.map(([name]) => name),
    label,
    documented: input.origin === 'schema',
  };
}

/** The config file the flags name (or the working directory's). */
export function schemaConfig(flags: SchemaFlags): GenerateConfig {
  return loadConfig(flags.config);
}

/** The schema the command line or the config file gives, read through
 *  the one input resolver; undefined when none is given, and the
 *  connected QEMU's is to be asked for. */
export async function givenSchema(flags: SchemaFlags, config: GenerateConfig, io: CliIo): Promise<CallSchema | undefined> {
  if (flags.schema !== undefined && flags.introspection !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: give --schema FILE or --introspection FILE, not both');
  }
  if (flags.introspection !== undefined) {
    const input = await readInput({ kind: 'capture', path: flags.introspection }, io);
    return callSchema(input, config, `the schema ${basename(flags.introspection)}`);
  }
  if (flags.schema === undefined && (config.schema ?? []).length === 0) return undefined;
  const chosen = chooseSchemas(flags.schema, flags, config);
  if (chosen.length > 1) {
    const names = chosen.map((c) => basename(c.schema)).join(', ');
    throw new CliExit(EXIT.usage, `qapi-ts: qapi-ts.config.json lists several schemas (${names}): choose one with --schema`);
  }
  const { schema, legacy, qemuVersion } = chosen[0]!;
  const input = await readInput(fileSource('file', schema, { legacy, qemuVersion }), io);
  return callSchema(input, config, `the schema ${basename(schema)}`);
}

/**
 * The connected QEMU's own schema, asked on `client`: query-qmp-schema
 * and query-version, read through the input resolver.  A QEMU that cannot
 * tell it, or tells something that is no schema, ends the run (exit 3)
 * with a hint to pass --schema.
 */
export async function liveSchema(client: QmpClient, source: string, config: GenerateConfig, io: CliIo): Promise<CallSchema> {
  try {
    const schema = await client.execute('query-qmp-schema');
    const version = await client.execute('query-version');
    const input = await readInput({ kind: 'reply', schema, version, source }, io);
    const v = input.introspection?.version;
    return callSchema(input, config, `the schema of ${v ? `QEMU ${versionText(v)}` : source} (query-qmp-schema)`);
  } catch (e) {
    if (e instanceof QmpError) {
      throw new CliExit(EXIT.qmp, `qapi-ts: ${source} cannot tell its schema (${e.errorClass}: ${e.desc}); pass --schema with its qapi-schema.json or a capture`);
    }
    if (e instanceof SchemaError) {
      for (const d of e.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      throw new CliExit(EXIT.qmp, `qapi-ts: ${source} answered query-qmp-schema with no schema qapi-ts can read; pass --schema`);
    }
    throw e;
  }
}
