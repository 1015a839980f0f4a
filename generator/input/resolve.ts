/**
 * The one way every verb reads its input: an InputSource (source.ts)
 * becomes a model, with the files read (for --watch) and the warnings to
 * print.  A source schema goes through the front end (frontend.ts), a
 * capture, a live QEMU or a reply received on a connection through
 * introspection (introspect/).  Introspection
 * and the live query are loaded only when the input is one, so reading a
 * source schema (`check`, the common `generate`) does not pay for them.
 */
import { basename, resolve } from 'node:path';
import { loadSchema } from '../frontend.js';
import type { FrontEndCache } from '../frontend-cache.js';
import type { Introspection } from '../introspect/index.js';
import { SchemaError } from '../source/diagnostics.js';
import { contentDigest, readSchemaFile, SchemaFileError, type DigestMemo, type KeptTexts } from '../source/files.js';
import { selectLanguage } from '../source/language.js';
import { readInputFile, type FileRole } from './input-file.js';
import { InputError, type InputSource, type ResolvedInput, type SchemaSource } from './source.js';

export interface ResolveOptions {
  /** Reads a schema file's text (default: readSchemaFile, regular files
   *  only, at most 16 MiB). */
  readonly readFile?: ((path: string) => string) | undefined;
  /** For a live QEMU: aborting stops it. */
  readonly signal?: AbortSignal | undefined;
  /** For a live QEMU: told its pid once it runs. */
  readonly onStarted?: ((binary: string, pid: number) => void) | undefined;
  /** For a source schema read again and again (generate --watch): what
   *  the front end keeps between loads (frontend-cache.ts). */
  readonly cache?: FrontEndCache | undefined;
  /** For a source schema read again and again: the digests of its files'
   *  texts, kept between reads. */
  readonly digests?: DigestMemo | undefined;
  /** For a source schema read again and again: its files' texts, kept
   *  while the files are unchanged. */
  readonly texts?: KeptTexts | undefined;
}

export async function resolveInput(source: InputSource, options: ResolveOptions = {}): Promise<ResolvedInput> {
  switch (source.kind) {
    case 'schema':
    case 'file':
      return readSource(source, options);
    case 'capture': {
      const text = readCaptureText(source.path, options);
      const { parseCapture } = await import('../introspect/index.js');
      const read = new Digests();
      read.add(source.path, text);
      return introspected(parseCapture(text, source.path), read, source.namesFrom, options);
    }
    case 'span': {
      const { resolveSpan } = await import('./span.js');
      return resolveSpan(source.releases, (file) => resolveInput(file, options));
    }
    case 'live': {
      const onStarted = options.onStarted;
      const { queryBinary } = await import('../introspect/live.js');
      const introspection = await queryBinary(source.binary, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(onStarted ? { onStarted: (pid: number) => onStarted(source.binary, pid) } : {}),
      });
      return introspected(introspection, null, source.namesFrom, options);
    }
    case 'reply': {
      const { readReply } = await import('../introspect/index.js');
      return introspected(readReply(source.schema, source.version, source.source), null, undefined, options);
    }
  }
}

/**
 * A file named as a schema's source (`schema`) or as either (`file`): its
 * text is read once, and a capture is told by its content.  A schema that
 * turns out to be a capture is refused; a file that is one is read as one.
 */
async function readSource(source: InputSource & { kind: 'schema' | 'file' }, options: ResolveOptions): Promise<ResolvedInput> {
  const kind = source.kind;
  // The language first: a release qapi-ts does not know is the error to
  // report whatever the file holds.
  if (kind === 'schema') selectLanguage(source.language);
  // A capture given as SCHEMA is named so too: SCHEMA is what the user gave.
  const rootText = readRoot(source.path, 'schema file', options);
  if (rootText !== undefined && (await isCapture(rootText))) {
    if (kind === 'schema') throw new InputError(capturedNotSource(source.path));
    const namesFrom = 'namesFrom' in source ? source.namesFrom : undefined;
    const { parseCapture } = await import('../introspect/index.js');
    const read = new Digests();
    read.add(source.path, rootText);
    return introspected(parseCapture(rootText, source.path), read, namesFrom, options);
  }
  return schema({ kind: 'schema', path: source.path, language: source.language }, options, rootText);
}

/**
 * The text of a file the user named: a path that cannot be an input file
 * is an InputError (input-file.ts).  Undefined when the front end is to
 * report why it cannot be read, located: text that is not UTF-8, or
 * whatever a reader of the caller's (files in memory) throws.
 */
function readRoot(path: string, role: FileRole, options: ResolveOptions): string | undefined {
  try {
    return options.readFile ? options.readFile(path) : readInputFile(path, role);
  } catch (e) {
    if (options.readFile || (e instanceof SchemaFileError && e.failure === 'encoding')) return undefined;
    throw e;
  }
}

/** A capture's text; text that is not UTF-8 is the capture's error, located. */
function readCaptureText(path: string, options: ResolveOptions): string {
  if (options.readFile) return options.readFile(path);
  try {
    return readInputFile(path, 'introspection file');
  } catch (e) {
    if (!(e instanceof SchemaFileError)) throw e;
    const location = e.at ? { file: path, line: e.at.line, column: e.at.column, includedFrom: [] } : undefined;
    throw new SchemaError([{ severity: 'error', message: e.message, ...(location ? { location } : {}) }]);
  }
}

async function isCapture(text: string): Promise<boolean> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: QAPI quotes with ', so every schema file lands here.
    return false;
  }
  const { isCaptureShape } = await import('../introspect/index.js');
  return isCaptureShape(value as Parameters<typeof isCaptureShape>[0]);
}

/** A source schema through the front end; `rootText`, when the root file was read already. */
function schema(source: SchemaSource, options: ResolveOptions, rootText?: string): ResolvedInput {
  const read = new Digests(options.digests);
  let cached = rootText;
  const readAny = options.readFile ?? readSchemaFile;
  const texts = options.texts;
  const readOne = texts === undefined ? readAny : (path: string) => texts.read(path, readAny);
  const readFile = read.tracking((path) => (cached !== undefined && path === source.path ? cached : readOne(path)));
  const once = (path: string): string => {
    const text = readFile(path);
    cached = undefined;
    return text;
  };
  const { model, level, warnings } = loadSchema(source.path, { ...source.language, readFile: once, cache: options.cache });
  const name = basename(source.path);
  return {
    model,
    origin: 'schema',
    level,
    introspection: null,
    name,
    label: `${name} (QEMU ${level.release})`,
    warnings,
    files: read.files,
    get digests() {
      return read.digests;
    },
  };
}

/** The files an input was read from, each with the digest of its text. */
class Digests {
  readonly files: string[] = [];
  private readonly texts = new Map<string, string>();
  private computed: Map<string, string> | undefined;

  constructor(private readonly memo?: DigestMemo) {}

  add(path: string, text: string): void {
    const absolute = resolve(path);
    this.files.push(absolute);
    this.texts.set(absolute, text);
  }

  /** Computed when first asked for: only a stamped output needs them
   *  (`check` reads a whole schema and asks for none). */
  get digests(): Map<string, string> {
    this.computed ??= new Map([...this.texts].map(([path, text]) => [path, this.memo ? this.memo.digest(text) : contentDigest(text)]));
    return this.computed;
  }

  /** `readFile`, recording what it reads. */
  tracking(readFile: (path: string) => string): (path: string) => string {
    return (path) => {
      const text = readFile(path);
      this.add(path, text);
      return text;
    };
  }
}

/** `read`: the files the introspection came from, or null for a live QEMU
 *  or replies given as values (no file to compare). */
async function introspected(introspection: Introspection, read: Digests | null, namesFrom: SchemaSource | undefined, options: ResolveOptions): Promise<ResolvedInput> {
  const { modelFromIntrospection, versionText } = await import('../introspect/index.js');
  const names = namesFrom ? await readNamesFrom(namesFrom, options) : undefined;
  const { model } = modelFromIntrospection(introspection, names ? { namesFrom: { model: names.model, file: namesFrom!.path } } : {});
  const name = basename(introspection.source);
  const version = introspection.version;
  return {
    model,
    origin: 'introspection',
    level: null,
    introspection,
    name,
    label: `${name}${version ? ` (QEMU ${versionText(version)})` : ''}`,
    warnings: names?.warnings ?? [],
    files: [...(read?.files ?? []), ...(names?.files ?? [])],
    digests: read === null ? null : new Map([...read.digests, ...(names?.digests ?? [])]),
  };
}

/** `--names-from`'s schema: a source schema, never a capture (a capture has no names to give). */
async function readNamesFrom(source: SchemaSource, options: ResolveOptions): Promise<ResolvedInput> {
  selectLanguage(source.language);
  const rootText = readRoot(source.path, 'schema file', options);
  if (rootText !== undefined && (await isCapture(rootText))) throw new InputError(capturedNotSource(source.path));
  return schema(source, options, rootText);
}

function capturedNotSource(path: string): string {
  return `'${path}' is a query-qmp-schema capture, not a schema's source`;
}
