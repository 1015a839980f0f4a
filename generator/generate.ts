/**
 * generate(): from an input to the files of an output, the one place where
 * the input resolver (input/, which makes a model of a source schema, a
 * capture or a live QEMU) and the backends (backends/, which make files of
 * a model) meet, with the selection and the settings between them.
 * Nothing is written here; the CLI's writer writes (cli/writer/).
 */
import { findBackend, DEFAULT_BACKEND, type Backend } from './backends/index.js';
import type { GeneratedFile } from './backends/backend.js';
import { resolveInput, type ResolveOptions } from './input/resolve.js';
import type { InputSource, ReleaseSource, ResolvedInput } from './input/source.js';
import { Filter } from './select/filter.js';
import { unmentionedSymbolWarnings } from './select/symbols.js';
import { completeSettings, type Settings } from './settings/table.js';
import { formatDiagnostic } from './source/diagnostics.js';

export interface GenerateOptions extends Partial<Settings>, ResolveOptions {
  /** What to read. */
  readonly input?: InputSource | undefined;
  /** Shorthand for `input: { kind: 'schema', path: schema, language: { legacy, qemuVersion } }`. */
  readonly schema?: string | undefined;
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in ('X.Y'). */
  readonly qemuVersion?: string | undefined;
  /** Shorthand for `input: { kind: 'span', releases }`: bindings that span
   *  releases, each release (`X.Y`) and its file (a schema in that
   *  release's language, or a capture), as a list or by release. */
  readonly releases?: readonly ReleaseSource[] | Readonly<Record<string, string>> | undefined;
  /** The output, by name (backends/index.ts); default `typescript`. */
  readonly backend?: string | undefined;
}

/** What one run produced, and what it read. */
export interface GenerateRun {
  readonly files: readonly GeneratedFile[];
  /** Warnings, formatted as the CLI prints them. */
  readonly warnings: readonly string[];
  /** Absolute paths of the files the run read (for --watch). */
  readonly inputs: readonly string[];
  /** The backend that made the files (it tells its files in a directory). */
  readonly backend: Backend;
}

/** The input the options describe. */
function inputOf(options: GenerateOptions): InputSource {
  const given = [options.input, options.schema, options.releases].filter((x) => x !== undefined).length;
  if (given > 1) throw new TypeError('generate(): give one of `input`, `schema` and `releases`');
  if (options.input !== undefined) return options.input;
  if (options.schema !== undefined) return { kind: 'schema', path: options.schema, language: { legacy: options.legacy, qemuVersion: options.qemuVersion } };
  if (options.releases !== undefined) {
    const releases = Array.isArray(options.releases)
      ? (options.releases as readonly ReleaseSource[])
      : Object.entries(options.releases as Readonly<Record<string, string>>).map(([release, path]) => ({ release, path }));
    return { kind: 'span', releases };
  }
  throw new TypeError('generate(): give `input` (or `schema`, or `releases`)');
}

/** Reads the input and generates the backend's files. */
export async function generate(options: GenerateOptions): Promise<readonly GeneratedFile[]> {
  return (await generateRun(options)).files;
}

/** A generation as the CLI runs it: with the warnings to print and the
 *  files read. */
export async function generateRun(options: GenerateOptions): Promise<GenerateRun> {
  const backend = findBackend(options.backend ?? DEFAULT_BACKEND);
  const input = await resolveInput(inputOf(options), options);
  const made = generateFrom(input, backend, completeSettings(options));
  return { files: made.files, warnings: [...input.warnings.map((w) => formatDiagnostic(w)), ...made.warnings], inputs: input.files, backend };
}

/** From a model read to the backend's files, with the selection's warnings
 *  and the backend's: the selection is made once, for every backend. */
export function generateFrom(
  input: ResolvedInput,
  backend: Backend,
  settings: Settings,
  keep?: Map<string, unknown>,
): Pick<GenerateRun, 'files' | 'warnings'> {
  const selection = new Filter(input.model, settings);
  const output = backend.generate({ model: input.model, input, selection, settings, keep });
  return { files: output.files, warnings: [...unmentionedSymbolWarnings(input.model, settings.ifSymbols), ...output.warnings] };
}
