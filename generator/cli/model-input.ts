/**
 * An input of drift, diff and jsonschema: a source schema's root file or a
 * captured query-qmp-schema reply, told apart by content (a capture is
 * plain JSON of SchemaInfo records; a schema is not JSON at all: QAPI
 * quotes with '), and its language chosen by a QEMU version.
 */
import { existsSync } from 'node:fs';
import { describeReadError, readSchemaFile } from '../source/files.js';
import { basename } from 'node:path';
import { isCaptureShape, modelFromIntrospection, parseCapture, versionText } from '../introspect/index.js';
import type { SchemaModel } from '../model/types.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import type { LanguageFlags } from './language.js';
import { loadForCli } from './schema-input.js';

export interface ModelInput {
  readonly model: SchemaModel;
  readonly kind: 'schema' | 'introspection';
  /** How reports name it: the file's name, with the QEMU version when known. */
  readonly label: string;
}

/** The language flags of one side of a diff: `--old-qemu-version 1.3`
 *  means the 2012 dialect, as `--legacy` does elsewhere. */
export function sideLanguage(version: string | undefined): LanguageFlags {
  if (version === undefined) return {};
  return version === '1.3' ? { legacy: true } : { qemuVersion: version };
}

/** Whether a file holds a captured reply rather than a schema. */
function captureText(path: string): string | null {
  let text: string;
  try {
    text = readSchemaFile(path);
  } catch (e) {
    throw new CliExit(EXIT.usage, `qapi-ts: cannot read '${path}': ${describeReadError(e)}`);
  }
  try {
    return isCaptureShape(JSON.parse(text)) ? text : null;
  } catch {
    return null;
  }
}

export function loadModelInput(path: string, language: LanguageFlags, io: CliIo): ModelInput {
  if (!existsSync(path)) throw new CliExit(EXIT.usage, `qapi-ts: '${path}' does not exist`);
  const capture = captureText(path);
  if (capture !== null) {
    const { model, introspection } = modelFromIntrospection(parseCapture(capture, path));
    const v = introspection.version;
    return { model, kind: 'introspection', label: `${basename(path)}${v ? ` (QEMU ${versionText(v)})` : ''}` };
  }
  const { model, level } = loadForCli(path, language, io);
  return { model, kind: 'schema', label: `${basename(path)} (QEMU ${level.release})` };
}
