/**
 * The last step of `generate`, whatever the input (schema files or a QEMU's
 * introspection): the user's prettier over the files with `--format`, then
 * DIR brought up to date, or with `--check` compared; and the errors of the
 * emitter's options as usage errors.
 */
import type { GeneratedFile } from '../emit/output/generated-file.js';
import { FormatError, formatOutput } from '../emit/output/format.js';
import { compareOutput, OutputError, writeOutput } from '../emit/output/write.js';
import { SelectionError } from '../select/filter.js';
import { CliExit, EXIT, type CliIo } from './io.js';

/** Turns an option's error (an unknown `--only` name, `--format` without
 *  prettier, an output directory that cannot be written) into a usage
 *  error, each line prefixed as the CLI's messages are; anything else
 *  passes. */
export function asUsageError(e: unknown): never {
  if (e instanceof SelectionError || e instanceof FormatError || e instanceof OutputError) {
    throw new CliExit(EXIT.usage, e.message.split('\n').map((l) => `qapi-ts: ${l}`).join('\n'));
  }
  throw e;
}

/** Writes (or with `check`, compares) one output directory; returns the
 *  lines saying how it is out of date (none when writing). */
export async function deliver(files: readonly GeneratedFile[], output: string, options: { check: boolean; format: boolean; symlink: boolean }, io: CliIo): Promise<string[]> {
  const final = options.format ? await formatOutput(files, output).catch(asUsageError) : files;
  try {
    if (options.check) {
      const changes = compareOutput(output, final);
      return changes.length === 0 ? [] : [`${output}:`, ...changes.map((d) => `  ${d.change}: ${d.path}`)];
    }
    const written = writeOutput(output, final, { symlink: options.symlink });
    io.stdout(`${written.length === 0 ? 'up to date' : `${written.length} file(s) updated`}: ${output}\n`);
    return [];
  } catch (e) {
    return asUsageError(e);
  }
}

/** The error of a `--check` that found output out of date. */
export function staleOutput(lines: readonly string[]): CliExit {
  return new CliExit(EXIT.schema, `qapi-ts: generated files are out of date:\n${lines.join('\n')}\nRun qapi-ts generate to update them.`);
}
