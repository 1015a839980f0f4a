/**
 * The CLI's one writer: every verb that writes hands it what a backend
 * produced and where it goes.  A directory (`generate -o DIR`) is replaced
 * as a whole (directory.ts: staging, swap, lock, `--symlink`); one file
 * (`jsonschema -o FILE`) is renamed into place (single-file.ts); stdout is
 * printed.  `--format` runs the user's prettier over the files first
 * (format.ts); `--check` compares instead of writing.  Errors of the
 * output's path are usage errors.
 */
import type { GeneratedFile } from '../../emit/output/generated-file.js';
import { CliExit, EXIT, type CliIo } from '../io.js';
import { compareOutput, OutputError, writeOutput, type Difference, type OwnsFile } from './directory.js';
import { FormatError, formatOutput } from './format.js';
import { compareFile, writeFile } from './single-file.js';
import { STAMP_FILE, stampFile } from './stamp.js';

/** Where an output goes. */
export type Destination =
  /** A directory of files, replaced as a whole; `symlink`: kept a link to the current set. */
  | { readonly kind: 'directory'; readonly path: string; readonly symlink: boolean }
  /** One file (the output must be one file). */
  | { readonly kind: 'file'; readonly path: string }
  /** Printed (the output must be one file). */
  | { readonly kind: 'stdout' };

/** What a backend produced, and how to tell its files in a directory. */
export interface Output {
  readonly files: readonly GeneratedFile[];
  readonly owns: OwnsFile;
}

export interface DeliverOptions {
  /** Compare, write nothing. */
  readonly check: boolean;
  /** Run the user's prettier over the files first. */
  readonly format: boolean;
  /** For a directory: write a stamp with the files (stamp.ts), recording
   *  what the run was asked, the digests of its inputs and its warnings. */
  readonly stamp?: StampRequest | undefined;
}

/** What a stamp records besides the files written. */
export interface StampRequest {
  readonly request: string;
  readonly inputs: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
  /** How the files written are hashed (a watch keeps digests between runs). */
  readonly digest?: ((content: string) => string) | undefined;
}

/** Errors of the output (its path cannot be written, prettier failed) as
 *  usage errors, each line prefixed as the CLI's messages are; anything
 *  else passes. */
function outputUsageError(e: unknown): never {
  if (e instanceof FormatError || e instanceof OutputError) {
    throw new CliExit(EXIT.usage, e.message.split('\n').map((l) => `qapi-ts: ${l}`).join('\n'));
  }
  throw e;
}

/** The one file of an output that must be one. */
function single(output: Output): GeneratedFile {
  if (output.files.length !== 1) throw new Error(`a single-file destination was given ${output.files.length} files`);
  return output.files[0]!;
}

/** Writes (or with `check`, compares) one output; returns the lines saying
 *  how it is out of date (none when writing). */
export async function deliver(output: Output, to: Destination, options: DeliverOptions, io: CliIo): Promise<string[]> {
  const base = to.kind === 'directory' ? to.path : to.kind === 'file' ? to.path : '.';
  const files = options.format ? await formatOutput(output.files, base).catch(outputUsageError) : output.files;
  try {
    switch (to.kind) {
      case 'stdout':
        if (options.check) throw new CliExit(EXIT.usage, 'qapi-ts: --check compares with a file: give -o FILE');
        io.stdout(single({ ...output, files }).content);
        return [];
      case 'file': {
        const file = single({ ...output, files });
        if (options.check) return stale(to.path, compareFile(to.path, file.content), false);
        writeFile(to.path, file.content);
        return [];
      }
      case 'directory': {
        // The stamp is the writer's: never one of the output's files to
        // compare, always replaced (or removed) with the set.
        if (options.check) {
          const owns: OwnsFile = (name, read) => name !== STAMP_FILE && output.owns(name, read);
          return stale(to.path, compareOutput(to.path, files, owns), true);
        }
        const stamped = options.stamp === undefined ? files : [...files, stampFile(to.path, options.stamp.request, options.stamp.inputs, files, options.stamp.warnings, options.stamp.digest)];
        const owns: OwnsFile = (name, read) => name === STAMP_FILE || output.owns(name, read);
        const written = writeOutput(to.path, stamped, { owns, symlink: to.symlink, onNotice: (m) => io.stderr(`qapi-ts: ${m}\n`) }).filter((d) => d.path !== STAMP_FILE);
        io.stdout(`${written.length === 0 ? 'up to date' : `${written.length} file(s) updated`}: ${to.path}\n`);
        return [];
      }
    }
  } catch (e) {
    return outputUsageError(e);
  }
}

function stale(path: string, changes: readonly Difference[], directory: boolean): string[] {
  if (changes.length === 0) return [];
  return directory ? [`${path}:`, ...changes.map((d) => `  ${d.change}: ${d.path}`)] : changes.map((d) => `${path}: ${d.change}`);
}

/** The error of a `--check` that found output out of date. */
export function staleOutput(lines: readonly string[], verb = 'generate'): CliExit {
  return new CliExit(EXIT.schema, `qapi-ts: generated files are out of date:\n${lines.join('\n')}\nRun qapi-ts ${verb} to update them.`);
}
