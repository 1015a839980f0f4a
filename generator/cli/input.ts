/**
 * Every verb's input, through the one resolver (input/resolve.ts): the
 * flags that name it (`SCHEMA`, `--introspection FILE`, `--qemu BINARY`,
 * `--names-from SCHEMA`, the language flags) become an InputSource, and
 * reading it prints its warnings and turns what is wrong with the input
 * into usage errors.  While a live QEMU runs, Ctrl-C (SIGINT) and SIGTERM
 * stop it and clean up before the CLI exits.  A schema that another
 * release's language accepts gets a hint in the verb's own flags.
 */
import type { Command } from 'commander';
import type { FrontEndCache } from '../frontend-cache.js';
import type { DigestMemo, KeptTexts } from '../source/files.js';
import { InputError, type InputSource, type ReleaseSource, type SchemaLanguage, type ResolvedInput, type SchemaSource } from '../input/source.js';
import { formatDiagnostic, SchemaError, type Diagnostic } from '../source/diagnostics.js';
import { describeLanguageHint, LanguageSelectionError } from '../source/language.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { standardSpelling, type FlagSpelling, type LanguageFlags } from './language.js';

/** The flags that name introspection as the input. */
export interface IntrospectionFlags extends LanguageFlags {
  introspection?: string;
  qemu?: string;
  namesFrom?: string;
}

/** Adds `--introspection`, `--qemu` and (unless `names` is false) `--names-from` to a verb. */
export function addIntrospectionOptions(command: Command, names = true): Command {
  command
    .option('--introspection <file>', 'a captured query-qmp-schema reply (a bare array, or { greeting, version, schema })')
    .option('--qemu <binary>', 'start this QEMU (qemu-system-* or qemu-storage-daemon) without a guest and ask it');
  return names ? command.option('--names-from <schema>', "name introspected types after this source schema's types") : command;
}

/** Whether the flags ask for introspection at all. */
export function wantsIntrospection(flags: IntrospectionFlags): boolean {
  return flags.introspection !== undefined || flags.qemu !== undefined;
}

const languageOf = (flags: LanguageFlags): SchemaLanguage => ({ legacy: flags.legacy, qemuVersion: flags.qemuVersion });

/** The introspection the flags name (exactly one of --introspection and
 *  --qemu), named after `--names-from`'s schema when given. */
export function introspectionSource(flags: IntrospectionFlags): InputSource {
  if (flags.introspection !== undefined && flags.qemu !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: give --introspection FILE or --qemu BINARY, not both');
  }
  const namesFrom: SchemaSource | undefined = flags.namesFrom === undefined ? undefined : { kind: 'schema', path: flags.namesFrom, language: languageOf(flags) };
  return flags.qemu !== undefined ? { kind: 'live', binary: flags.qemu, namesFrom } : { kind: 'capture', path: flags.introspection!, namesFrom };
}

/** A file named on the command line: a source schema (`schema`), or either
 *  a schema or a capture, told apart by content (`file`). */
export function fileSource(kind: 'schema' | 'file', path: string, flags: LanguageFlags): InputSource {
  return { kind, path, language: languageOf(flags) };
}

/**
 * A schema another release's language accepts: the note naming it says
 * the flag as the verb takes it (diff spells `--qemu-version 8.0` as
 * `--old-qemu-version 8.0`).  The hint is the front end's (SchemaError's
 * languageHint); only its words are the verb's.
 */
function respelled(e: SchemaError, spell: FlagSpelling): SchemaError {
  const hint = e.languageHint;
  if (hint === undefined) return e;
  const standard = describeLanguageHint(hint);
  const diagnostics = e.diagnostics.map((d): Diagnostic => (d.severity === 'note' && d.message === standard ? { ...d, message: describeLanguageHint(hint, spell) } : d));
  return new SchemaError(diagnostics, e.warnings, e.files, hint);
}

/** Reads the input, printing its warnings; what is wrong with the input
 *  itself is a usage error (exit 2), a live QEMU that fails exit 3, a
 *  schema's errors exit 1. */
export async function readInput(
  source: InputSource,
  io: CliIo,
  spell: FlagSpelling = standardSpelling,
  kept?: { readonly cache: FrontEndCache; readonly digests: DigestMemo; readonly texts: KeptTexts },
): Promise<ResolvedInput> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  const live = source.kind === 'live';
  if (live) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    // The front end is loaded when an input is read (what loads the CLI,
    // and a generate whose stamp answers, need none of it).
    const { resolveInput } = await import('../input/resolve.js');
    const input = await resolveInput(source, {
      signal: stop.signal,
      onStarted: (binary, pid) => io.stderr(`qapi-ts: started ${binary} (pid ${pid}) to ask for its schema\n`),
      cache: kept?.cache,
      digests: kept?.digests,
      texts: kept?.texts,
    });
    for (const w of input.warnings) io.stderr(`${formatDiagnostic(w)}\n`);
    return input;
  } catch (e) {
    if (e instanceof InputError || e instanceof LanguageSelectionError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    if (live) {
      // Loaded only for a live input, as the resolver loads the query.
      const { LiveQemuAborted, LiveQemuError } = await import('../introspect/live.js');
      if (e instanceof LiveQemuAborted) throw new CliExit(EXIT.interrupted, e.message);
      if (e instanceof LiveQemuError) throw new CliExit(e.usage ? EXIT.usage : EXIT.qmp, e.message);
    }
    if (e instanceof SchemaError && spell !== standardSpelling) throw respelled(e, spell);
    throw e;
  } finally {
    if (live) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** `--release X.Y=FILE`, repeatable: a span's releases, as given. */
export function addReleaseOption(command: Command, what: string): Command {
  return command.option('--release <X.Y=FILE>', what, (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** The releases `--release X.Y=FILE` flags give (a usage error for one
 *  that is not VERSION=FILE). */
export function releaseFlags(texts: readonly string[]): ReleaseSource[] {
  return texts.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0 || at === text.length - 1) throw new CliExit(EXIT.usage, `qapi-ts: --release '${text}': give VERSION=FILE (7.2=qemu-7.2/qapi/qapi-schema.json)`);
    return { release: text.slice(0, at), path: text.slice(at + 1) };
  });
}
