/**
 * A file named on the command line (a verb's SCHEMA, `--introspection`,
 * `--names-from`, `--schema`, `--config`, a config file's `schema`): one
 * rule for every verb and flag.  A path that cannot be an input file at
 * all (it is missing, a folder, a device, a FIFO, a socket, too large, or
 * may not be opened) is an InputError naming the file's role and the path,
 * which the CLI reports as a usage error (exit 2).  What is wrong *inside*
 * a file (text that is not UTF-8, a schema's errors) is the content's
 * problem, reported located by whoever reads the content.
 */
import { readSchemaFile, SchemaFileError, type ReadFailure } from '../source/files.js';
import { InputError } from './source.js';

/** How messages name a file by what it was given as. */
export type FileRole = 'schema file' | 'introspection file' | 'config file' | 'recording file';

/** A failure of the path itself, not of its text. */
type PathFailure = Exclude<ReadFailure, 'encoding'>;

/** What each failure says of the path, after `ROLE 'PATH'`. */
const FAILURE_TEXT: Readonly<Record<PathFailure, (reason: string) => string>> = {
  missing: () => 'does not exist',
  folder: () => 'is a folder, not a file',
  'not-regular': () => 'is not a regular file (qapi-ts reads no devices, FIFOs or sockets)',
  'too-large': (reason) => `is ${reason}`,
  unreadable: (reason) => `cannot be read (${reason})`,
};

/** The usage error for a path that cannot be an input file, or null for
 *  a failure inside its text. */
export function inputFileError(path: string, role: FileRole, e: SchemaFileError): InputError | null {
  if (e.failure === 'encoding') return null;
  return new InputError(`${role} '${path}' ${FAILURE_TEXT[e.failure](e.message)}`);
}

/**
 * Reads a file named on the command line.  A path that cannot be one
 * throws InputError; text that is not UTF-8 throws the SchemaFileError
 * (failure `encoding`, located), for the reader of the content to report.
 */
export function readInputFile(path: string, role: FileRole): string {
  try {
    return readSchemaFile(path);
  } catch (e) {
    throw (e instanceof SchemaFileError && inputFileError(path, role, e)) || e;
  }
}

/** Checks that a path can be read as an input file, without keeping its
 *  text: for inputs named together, all checked before any is used. */
export function checkInputFile(path: string, role: FileRole): void {
  try {
    readInputFile(path, role);
  } catch (e) {
    // Only whether the path is a file is asked here; its text is the
    // content's reader's to judge.
    if (!(e instanceof SchemaFileError)) throw e;
  }
}
