/**
 * A span's releases into one model: each release's file read as what it
 * is (a captured query-qmp-schema reply, told by its content, or a source
 * schema in that release's language: `1.3` is the 2012 dialect), then the
 * models merged by the span stage.  The front end and introspection meet
 * the span stage here, as generate.ts joins the front end and the emitter.
 */
import { resolve } from 'node:path';
import { loadSchema } from './frontend.js';
import { isCaptureShape, modelFromIntrospection, parseCapture } from './introspect/index.js';
import type { SchemaModel } from './model/types.js';
import { SchemaError, type Diagnostic } from './source/diagnostics.js';
import { describeReadError, readSchemaFile } from './source/files.js';
import { LanguageSelectionError, LEGACY_RELEASE, VERSIONED_RELEASES } from './source/language.js';
import { mergeReleases, SpanError } from './span/merge.js';
import { MAX_RELEASES, versionNumbers, type SpanRelease } from './span/releases.js';
import type { SpannedModel } from './span/types.js';

/** One release of a span as given: its QEMU version and its file. */
export interface ReleaseInput {
  /** `X.Y` (a stable `X.Y.Z` reads as `X.Y`); `1.3` is the 2012 dialect. */
  readonly release: string;
  /** A schema's root file, or a captured reply. */
  readonly file: string;
}

export interface LoadedSpan {
  readonly model: SpannedModel;
  /** Warnings of the schemas read (legacy-mode slips), each located. */
  readonly warnings: readonly Diagnostic[];
  /** Every file read, absolute. */
  readonly files: readonly string[];
}

/** `X.Y` from `X.Y` or `X.Y.Z`; a SpanError names what is wrong. */
export function releaseName(text: string): string {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const name = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  if (versionNumbers(name) === null) throw new SpanError(`'${text}' is no QEMU release: give X.Y (7.2, 10.0; 1.3 for the 2012 dialect)`);
  return name;
}

/** Whether a file's text is a captured reply (JSON of SchemaInfo records;
 *  a schema is no JSON at all: QAPI quotes with '). */
function captureOf(text: string): boolean {
  try {
    return isCaptureShape(JSON.parse(text));
  } catch {
    return false;
  }
}

/** One release's model. */
function loadRelease(input: ReleaseInput, name: string, files: string[], warnings: Diagnostic[]): { release: SpanRelease; model: SchemaModel } {
  let text: string;
  try {
    text = readSchemaFile(input.file);
  } catch (e) {
    throw new SchemaError([{ severity: 'error', message: `release ${name}: ${input.file}: cannot read it (${describeReadError(e)})` }]);
  }
  if (captureOf(text)) {
    files.push(resolve(input.file));
    const { model } = modelFromIntrospection(parseCapture(text, input.file));
    return { release: { name, origin: 'introspection', file: input.file }, model };
  }
  // Each release in its own language (a release newer than qapi-ts knows:
  // the newest, with a warning, as for one schema).
  const language = name === LEGACY_RELEASE ? { legacy: true } : { qemuVersion: name };
  let loaded;
  try {
    loaded = loadSchema(input.file, {
      ...language,
      readFile: (path) => {
        const t = path === input.file ? text : readSchemaFile(path);
        files.push(resolve(path));
        return t;
      },
    });
  } catch (e) {
    if (!(e instanceof LanguageSelectionError)) throw e;
    throw new SpanError(
      `release ${name}: ${input.file} is a schema's source, and qapi-ts knows the schema language of QEMU ${LEGACY_RELEASE} and ${VERSIONED_RELEASES[0]} on only (a captured reply of any release will do)`,
    );
  }
  warnings.push(...loaded.warnings);
  return { release: { name, origin: 'schema', file: input.file }, model: loaded.model };
}

/** Reads every release of a span and merges them. */
export function loadSpan(inputs: readonly ReleaseInput[]): LoadedSpan {
  if (inputs.length === 0) throw new SpanError('a span needs at least one release');
  if (inputs.length > MAX_RELEASES) throw new SpanError(`a span of ${inputs.length} releases: at most ${MAX_RELEASES}`);
  const files: string[] = [];
  const warnings: Diagnostic[] = [];
  const models = inputs.map((input) => loadRelease(input, releaseName(input.release), files, warnings));
  return { model: mergeReleases(models), warnings, files };
}
