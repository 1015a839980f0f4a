/**
 * Diagnostics: what every stage reports, located in the schema's source.
 *
 * A stage collects diagnostics and then fails with one SchemaError carrying
 * all of them; the library never prints.  formatDiagnostic renders one the
 * way compilers do (`FILE:LINE:COL: message`), preceded by the include chain
 * and the definition it belongs to.
 */
import type { LanguageHint } from './language.js';

/** A point in a schema file.  `file` is the path as the user gave it (for
 *  includes: joined to the including file's directory). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Where an expression sits: its location plus the chain of include
 *  directives that brought its file in (innermost last). */
export interface SourceInfo extends SourceLocation {
  readonly includedFrom: readonly SourceLocation[];
}

/** The definition a diagnostic belongs to, for the `In KIND 'NAME':` line. */
export interface DefinitionContext {
  readonly meta: string;
  readonly name: string;
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  /** Absent for errors not tied to a file position (an unreadable root file). */
  readonly location?: SourceInfo;
  readonly definition?: DefinitionContext;
  /** Further locations that explain this one ("previous definition"). */
  readonly related?: readonly Diagnostic[];
}

/** A problem at one place in a file, found before any definition is known
 *  (by the doc-comment parser, say); the reader reports it. */
export class LocatedProblem extends Error {
  constructor(
    readonly loc: SourceLocation,
    message: string,
  ) {
    super(message);
    this.name = 'LocatedProblem';
  }
}

/** Thrown by a stage that found errors; carries every error it found. */
export class SchemaError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings found before the failure, for the record. */
  readonly warnings: readonly Diagnostic[];
  /** The schema files read before the failure, when known (for --watch). */
  readonly files: readonly string[] | undefined;
  /** The releases whose language accepts the schema, when other ones
   *  were tried; `diagnostics` ends with a note saying it in words. */
  readonly languageHint: LanguageHint | undefined;

  constructor(
    diagnostics: readonly Diagnostic[],
    warnings: readonly Diagnostic[] = [],
    files?: readonly string[],
    languageHint?: LanguageHint,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'SchemaError';
    this.diagnostics = diagnostics;
    this.warnings = warnings;
    this.files = files;
    this.languageHint = languageHint;
  }
}

export function errorAt(
  location: SourceInfo | undefined,
  message: string,
  definition?: DefinitionContext,
  related?: readonly Diagnostic[],
): Diagnostic {
  return { severity: 'error', message, location, definition, related };
}

export function warningAt(location: SourceInfo, message: string): Diagnostic {
  return { severity: 'warning', message, location };
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** Renders one diagnostic (and its related notes) as lines of text. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines: string[] = [];
  if (d.location) {
    for (const frame of d.location.includedFrom) {
      lines.push(`In file included from ${frame.file}:${frame.line}:`);
    }
    if (d.definition) {
      lines.push(`${d.location.file}: In ${d.definition.meta} '${d.definition.name}':`);
    }
    const label = d.severity === 'error' ? '' : `${d.severity}: `;
    const [first = '', ...rest] = d.message.split('\n');
    lines.push(`${formatLocation(d.location)}: ${label}${first}`, ...rest);
  } else {
    lines.push(d.severity === 'warning' ? `warning: ${d.message}` : d.message);
  }
  for (const note of d.related ?? []) {
    lines.push(formatDiagnostic(note));
  }
  return lines.join('\n');
}

/** Accumulates the diagnostics of one stage. */
export class DiagnosticSink {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  report(d: Diagnostic): void {
    (d.severity === 'error' ? this.errors : this.warnings).push(d);
  }

  error(location: SourceInfo | undefined, message: string, definition?: DefinitionContext): void {
    this.report(errorAt(location, message, definition));
  }

  /** Ends the stage: throws when any error was reported. */
  throwIfErrors(): void {
    if (this.errors.length > 0) throw new SchemaError(this.errors, this.warnings);
  }
}

/** A note pointing at the part of a definition an error is about, when it
 *  is not on the definition's first line (errors themselves point where
 *  QEMU points: there). */
export function partNotes(at: SourceLocation | null | undefined, info: SourceInfo | undefined): Diagnostic[] {
  if (!at || !info || (at.file === info.file && at.line === info.line)) return [];
  return [noteAt({ file: at.file, line: at.line, column: at.column, includedFrom: [] }, 'the part in question is here')];
}

export function noteAt(location: SourceInfo, message: string, definition?: DefinitionContext): Diagnostic {
  return { severity: 'note', message, location, definition };
}
