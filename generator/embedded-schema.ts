/**
 * The embedded default schema: the seed's block-commit and what a user needs
 * around it, in the 2012 dialect.  It ships with the package (schema/), and
 * is found relative to this module both in the sources and in dist/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EMBEDDED_SCHEMA_FILE = 'qapi-ts-default.json';

/** The embedded schema is written in the 2012 dialect. */
export const EMBEDDED_SCHEMA_LEGACY = true;

export function embeddedSchemaPath(): string {
  for (const up of ['../schema/', '../../schema/']) {
    const path = fileURLToPath(new URL(`${up}${EMBEDDED_SCHEMA_FILE}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`qapi-ts: cannot find its embedded schema ${EMBEDDED_SCHEMA_FILE}`);
}
