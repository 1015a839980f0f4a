/**
 * A schema as the verbs read it: in the language the flags select, its
 * warnings printed, a missing file or an unknown language a usage error.
 */
import { existsSync } from 'node:fs';
import { loadSchema, type LoadedSchema } from '../frontend.js';
import { formatDiagnostic } from '../source/diagnostics.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { checkLanguageFlags, type LanguageFlags } from './language.js';

/** Loads a schema for a command, printing warnings; a missing root file or
 *  an unknown language is a usage error. */
export function loadForCli(schema: string, options: LanguageFlags, io: CliIo): LoadedSchema {
  const language = checkLanguageFlags(options);
  if (!existsSync(schema)) throw new CliExit(EXIT.usage, `qapi-ts: schema file '${schema}' does not exist`);
  const loaded = loadSchema(schema, language);
  for (const w of loaded.warnings) io.stderr(`${formatDiagnostic(w)}\n`);
  return loaded;
}
