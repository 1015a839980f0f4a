/**
 * The embedded default schema: the seed's block-commit and what a user needs
 * around it, in the 2012 dialect.  It ships with the package (schema/).
 */
import { packageFile } from './package-root.js';

const EMBEDDED_SCHEMA_FILE = 'qapi-ts-default.json';

/** The embedded schema is written in the 2012 dialect. */
export const EMBEDDED_SCHEMA_LEGACY = true;

export function embeddedSchemaPath(): string {
  return packageFile('schema', EMBEDDED_SCHEMA_FILE);
}
