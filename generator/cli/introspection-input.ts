/**
 * Introspection as a CLI input: `--introspection FILE` (a captured
 * query-qmp-schema reply) or `--qemu BINARY` (asked live), optionally named
 * after a source schema (`--names-from SCHEMA`).  While a live QEMU runs,
 * Ctrl-C (SIGINT) and SIGTERM stop it and clean up before the CLI exits.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { modelFromIntrospection, readCapture, type IntrospectedSchema } from '../introspect/index.js';
import { LiveQemuAborted, LiveQemuError, queryBinary } from '../introspect/live.js';
import type { Introspection } from '../introspect/schema-info.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import type { LanguageFlags } from './language.js';
import { loadForCli } from './schema-input.js';

/** The language flags choose how --names-from's schema is read. */
export interface IntrospectionFlags extends LanguageFlags {
  introspection?: string;
  qemu?: string;
  namesFrom?: string;
}

export const INTROSPECTION_OPTIONS = {
  introspection: ['--introspection <file>', "a captured query-qmp-schema reply (a bare array, or { greeting, version, schema })"],
  qemu: ['--qemu <binary>', 'start this QEMU (qemu-system-* or qemu-storage-daemon) without a guest and ask it'],
  namesFrom: ['--names-from <schema>', "name introspected types after this source schema's types"],
} as const;

/** Whether the flags ask for introspection at all. */
export function wantsIntrospection(flags: IntrospectionFlags): boolean {
  return flags.introspection !== undefined || flags.qemu !== undefined;
}

/** Runs a live query with SIGINT/SIGTERM handlers that stop QEMU first. */
export async function queryLive(binary: string, io: CliIo): Promise<Introspection> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await queryBinary(binary, {
      signal: stop.signal,
      onStarted: (pid) => io.stderr(`qapi-ts: started ${binary} (pid ${pid}) to ask for its schema\n`),
    });
  } catch (e) {
    if (e instanceof LiveQemuAborted) throw new CliExit(EXIT.interrupted, e.message);
    if (e instanceof LiveQemuError) throw new CliExit(e.usage ? EXIT.usage : EXIT.qmp, e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Reads a capture file; a missing file is a usage error. */
export function readCaptureForCli(path: string): Introspection {
  if (!existsSync(path)) throw new CliExit(EXIT.usage, `qapi-ts: introspection file '${path}' does not exist`);
  return readCapture(path);
}

/** The model of what the flags name (exactly one of --introspection and --qemu). */
export async function loadIntrospected(flags: IntrospectionFlags, io: CliIo): Promise<IntrospectedSchema & { label: string }> {
  if (flags.introspection !== undefined && flags.qemu !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: give --introspection FILE or --qemu BINARY, not both');
  }
  const introspection = flags.qemu !== undefined ? await queryLive(flags.qemu, io) : readCaptureForCli(flags.introspection!);
  const namesFrom = flags.namesFrom !== undefined ? { model: loadForCli(flags.namesFrom, flags, io).model, file: flags.namesFrom } : undefined;
  const introspected = modelFromIntrospection(introspection, namesFrom ? { namesFrom } : {});
  return { ...introspected, label: basename(introspection.source) };
}
