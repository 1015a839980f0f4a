/**
 * What a verb reads, described as data: a source schema in a release's
 * language, a captured query-qmp-schema reply, a file that is either (told
 * apart by content), or a live QEMU binary; introspection may be named
 * after a source schema (`--names-from`); or a span of releases, each a
 * file of its own.  resolve.ts turns each into a model.
 */
import type { SchemaModel } from '../model/types.js';
import type { Diagnostic } from '../source/diagnostics.js';
import type { LanguageLevel } from '../source/language.js';
import type { Introspection } from '../introspect/index.js';

/** The language a source schema is written in: `--qemu-version X.Y` or `--legacy`; neither: the newest. */
export interface SchemaLanguage {
  readonly legacy?: boolean | undefined;
  readonly qemuVersion?: string | undefined;
}

/** A source schema's root file, in a release's language. */
export interface SchemaSource {
  readonly kind: 'schema';
  readonly path: string;
  readonly language: SchemaLanguage;
}

/** Introspection named after a source schema's types. */
interface Named {
  readonly namesFrom?: SchemaSource | undefined;
}

export type InputSource =
  | SchemaSource
  /** A source schema or a capture, told apart by content (a capture is
   *  plain JSON of SchemaInfo records; QAPI quotes with ', so a schema is
   *  never JSON). */
  | ({ readonly kind: 'file'; readonly path: string; readonly language: SchemaLanguage } & Named)
  /** A captured query-qmp-schema reply (`--introspection FILE`). */
  | ({ readonly kind: 'capture'; readonly path: string } & Named)
  /** A QEMU binary, started and asked (`--qemu BINARY`). */
  | ({ readonly kind: 'live'; readonly binary: string } & Named)
  /** Several releases, each a source schema in its release's language or
   *  a capture (told apart by content), merged into one model that spans
   *  them (`--release X.Y=FILE`, repeated). */
  | { readonly kind: 'span'; readonly releases: readonly ReleaseSource[] }
  /** query-qmp-schema's and query-version's replies, as a QEMU the caller
   *  is connected to gave them (`qmp` and `shell` ask on their own
   *  connection); `source` names that QEMU in messages. */
  | { readonly kind: 'reply'; readonly schema: unknown; readonly version: unknown; readonly source: string };

/** One release of a span: its QEMU version (`X.Y`; `1.3` the 2012
 *  dialect) and its file. */
export interface ReleaseSource {
  readonly release: string;
  readonly path: string;
}

/** A model, and what it was read from. */
export interface ResolvedInput {
  readonly model: SchemaModel;
  /** A source schema (exact integer widths, doc comments), introspection,
   *  or a span of releases (of either). */
  readonly origin: 'schema' | 'introspection' | 'span';
  /** The language a source schema was read in; null for introspection. */
  readonly level: LanguageLevel | null;
  /** The reply, for introspection (its QEMU version, its source); else null. */
  readonly introspection: Introspection | null;
  /** How headers and titles name it: a file's name, without folders. */
  readonly name: string;
  /** How reports name it: the name and, when known, the QEMU release. */
  readonly label: string;
  /** Warnings found reading it, located, not yet printed. */
  readonly warnings: readonly Diagnostic[];
  /** Every file read (absolute): schema files with their includes, the
   *  capture, `--names-from`'s schema.  What `--watch` follows. */
  readonly files: readonly string[];
  /** The digest (contentDigest) of the text read of each of `files`, by
   *  absolute path; null where the input is not only files (a live QEMU).
   *  What an output's stamp records. */
  readonly digests: ReadonlyMap<string, string> | null;
}

/** The input cannot be used as given: a file that does not exist or
 *  cannot be read, a capture where a schema's source is wanted, two inputs
 *  at once.  The message says which and why. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
