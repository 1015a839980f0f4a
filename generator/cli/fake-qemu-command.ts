/**
 * `qapi-ts fake-qemu [SCHEMA] (--listen PATH | --port N) [--qemu-version X.Y | --legacy]
 *  [--introspection FILE] [--handlers MODULE] | --replay FILE`:
 * the runtime's QMP peer (qapi-ts-runtime/testing) as a standalone server,
 * for tests in any language.  It checks calls as QEMU does against a
 * source schema, or a QEMU's introspection capture (served exactly; a
 * SCHEMA given too lends its integer widths; the input is read as every
 * verb reads it, input.ts), answers what it answers by
 * itself (query-qmp-schema, query-version, the job commands), and what an
 * ES module's default export sets up on it (`--handlers`); or it replays
 * a recording.  It runs until SIGINT or SIGTERM, then removes its socket;
 * exit 5 when a handler failed or a replay diverged or ended early.
 * With a span (`--release X.Y=FILE`, repeated), it plays one release of it
 * (`--play X.Y`, else the one its greeting's version is), as the peer does.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseQmpJson, TypeRegistry } from 'qapi-ts-runtime';
import { parseRecording, QmpPeer, RecordingFormatError, ReplayPeer, type PeerAddress, type Recording } from 'qapi-ts-runtime/testing';
import { buildTables } from '../emit/parts/descriptors.js';
import { readInputFile } from '../input/input-file.js';
import { InputError } from '../input/source.js';
import { readSchemaFile, SchemaFileError } from '../source/files.js';
import { spanOf } from '../span/types.js';
import { addReleaseOption, fileSource, introspectionSource, readInput, releaseFlags } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions, type LanguageFlags } from './language.js';
import { listenFailure, listenTarget, placeText, untilStopped, type ListenChoice, type ListenFlags } from './serving.js';

interface FakeQemuFlags extends LanguageFlags, ListenFlags {
  introspection?: string;
  replay?: string;
  handlers?: string;
  release?: string[];
  play?: string;
}

export function registerFakeQemu(program: Command, io: CliIo): void {
  const command = addLanguageOptions(
    program
      .command('fake-qemu')
      .description('serve QMP as QEMU would, from a schema (or replay a recording), until SIGINT or SIGTERM: a QEMU for tests')
      .argument('[schema]', 'the root schema file (with --introspection: lends its integer widths)'),
  )
    .option('--listen <socket-path>', 'listen on this unix socket')
    .option('--port <n>', 'listen on this TCP port of 127.0.0.1 (0: any free one)')
    .option('--introspection <file>', "serve a QEMU's captured query-qmp-schema reply and check calls against it")
    .option('--replay <file>', 'serve a recording made by `qapi-ts record` (no schema needed)')
    .option('--handlers <module>', 'an ES module whose default export is called with the peer, to set handlers')
    .option('--play <X.Y>', 'with --release: the release of the span to be (default: the one the greeting names, QEMU 10.0.2)');
  addReleaseOption(command, "a span's release and its schema (or capture), repeated: serve one release of it (--play)");
  command.action((schema: string | undefined, flags: FakeQemuFlags) => runFakeQemu(schema, flags, io));
}

async function runFakeQemu(schema: string | undefined, flags: FakeQemuFlags, io: CliIo): Promise<void> {
  const where = listenTarget(flags, 'fake-qemu');
  let problems = 0;
  const report = (e: Error): void => {
    problems++;
    io.stderr(`fake-qemu: ${e.message}\n`);
  };
  let peer: QmpPeer | ReplayPeer;
  if (flags.replay !== undefined) {
    if (schema !== undefined || flags.introspection !== undefined || flags.handlers !== undefined || flags.release !== undefined) {
      throw new CliExit(EXIT.usage, 'qapi-ts: fake-qemu --replay serves the recording alone: give no schema, --introspection or --handlers');
    }
    peer = new ReplayPeer(readRecording(flags.replay), { onError: report });
  } else {
    peer = await schemaPeer(schema, flags, io, report);
    if (flags.handlers !== undefined) await loadHandlers(flags.handlers, peer, io);
  }
  let address: PeerAddress;
  try {
    address = await peer.listen(where);
  } catch (e) {
    await peer.close();
    throw listenFailure(e, where as ListenChoice);
  }
  io.stdout(`fake-qemu: listening on ${placeText(address)}\n`);
  await untilStopped();
  await peer.close();
  if (peer instanceof ReplayPeer) {
    try {
      peer.assertReplayed();
    } catch (e) {
      if (!peer.mismatches.includes(e as never)) report(e as Error);
    }
  }
  if (problems > 0) throw new CliExit(EXIT.differences, `qapi-ts: fake-qemu: ${problems} problem(s), listed above`);
}

/**
 * The peer of what the flags name, read by the one input resolver: a
 * source schema, or a capture (`--introspection FILE`, or a capture given
 * as SCHEMA), named after SCHEMA when both are given.  A capture is served
 * as it is, greeting with its version.
 */
async function schemaPeer(schema: string | undefined, flags: FakeQemuFlags, io: CliIo, report: (e: Error) => void): Promise<QmpPeer> {
  if (flags.release !== undefined) return spanPeer(schema, flags, io, report);
  if (flags.play !== undefined) throw new CliExit(EXIT.usage, 'qapi-ts: fake-qemu --play names a release of a span: give the span (--release X.Y=FILE, repeated)');
  if (schema === undefined && flags.introspection === undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: fake-qemu needs a SCHEMA, --introspection FILE or --replay FILE');
  }
  const source =
    flags.introspection !== undefined
      ? introspectionSource({ ...flags, introspection: flags.introspection, ...(schema !== undefined ? { namesFrom: schema } : {}) })
      : fileSource('file', schema!, flags);
  const input = await readInput(source, io);
  const tables = buildTables(input.model);
  const bindings = new TypeRegistry([tables.types], [tables.commands], { events: [tables.events] });
  if (input.introspection === null) return new QmpPeer({ bindings, onError: report });
  const v = input.introspection.version;
  return new QmpPeer({
    bindings,
    schema: captureReply(input.introspection.source),
    ...(v ? { greeting: { version: { qemu: { major: v.major, minor: v.minor, micro: v.micro }, package: v.package } } } : {}),
    onError: report,
  });
}

/** A peer playing one release of a span (a usage error for what does not
 *  go with a span, or a release it does not have). */
async function spanPeer(schema: string | undefined, flags: FakeQemuFlags, io: CliIo, report: (e: Error) => void): Promise<QmpPeer> {
  if (schema !== undefined || flags.introspection !== undefined || flags.legacy || flags.qemuVersion !== undefined) {
    throw new CliExit(EXIT.usage, 'qapi-ts: fake-qemu --release reads each release in its own language: give no SCHEMA, --introspection or language flag beside it');
  }
  const input = await readInput({ kind: 'span', releases: releaseFlags(flags.release!) }, io);
  const tables = buildTables(input.model);
  const releases = spanOf(input.model)!.releases.map((r) => r.name);
  const bindings = new TypeRegistry([tables.types], [tables.commands], { events: [tables.events], span: { releases } });
  try {
    return new QmpPeer({ bindings, onError: report, ...(flags.play !== undefined ? { release: flags.play } : {}) });
  } catch (e) {
    if (e instanceof TypeError) throw new CliExit(EXIT.usage, `qapi-ts: fake-qemu: ${e.message.replace(/^QmpPeer: /, '').replaceAll('options.release', '--play')}`);
    throw e;
  }
}

/** A capture's query-qmp-schema reply, as it is (the resolver has read and checked it). */
function captureReply(path: string): readonly unknown[] {
  const raw = parseQmpJson(readSchemaFile(path)) as unknown[] | { schema: unknown[] };
  return Array.isArray(raw) ? raw : raw.schema;
}

function readRecording(path: string): Recording {
  let text: string;
  try {
    text = readInputFile(path, 'recording file');
  } catch (e) {
    if (e instanceof InputError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    if (e instanceof SchemaFileError && e.at) throw new CliExit(EXIT.usage, `qapi-ts: ${path}:${e.at.line}:${e.at.column}: ${e.message}`);
    throw e;
  }
  try {
    return parseRecording(text, path);
  } catch (e) {
    if (e instanceof RecordingFormatError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    throw e;
  }
}

/** Runs the handlers module's default export on the peer. */
async function loadHandlers(path: string, peer: QmpPeer, io: CliIo): Promise<void> {
  let mod: { default?: unknown };
  const url = pathToFileURL(resolve(path)).href;
  try {
    mod = (await (io.importModule ? io.importModule(url) : import(url))) as { default?: unknown };
  } catch (e) {
    throw new CliExit(EXIT.usage, `qapi-ts: cannot load handlers module '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof mod.default !== 'function') throw new CliExit(EXIT.usage, `qapi-ts: handlers module '${path}' has no default export function (peer) => ...`);
  await (mod.default as (peer: QmpPeer) => unknown)(peer);
}
