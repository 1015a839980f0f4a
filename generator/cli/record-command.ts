/**
 * `qapi-ts record --socket QEMU_SOCKET (--listen PATH | --port N) -o FILE [--once]`:
 * a recording proxy.  Programs connect to it instead of QEMU; it relays
 * every byte to QEMU's socket and back, and writes each message either way
 * with its time to FILE (the recording format of qapi-ts-runtime/testing,
 * one JSON object a line, written as the session goes).  It runs until
 * SIGINT or SIGTERM (with `--once`: until its first connection closes),
 * then removes its socket.  `fake-qemu --replay FILE` serves the recording.
 */
import type { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { QmpRecorder, type PeerAddress } from 'qapi-ts-runtime/testing';
import { CliExit, EXIT, type CliIo } from './io.js';
import { listenFailure, listenTarget, placeText, untilStopped, type ListenFlags } from './serving.js';

interface RecordFlags extends ListenFlags {
  socket: string;
  output: string;
  once?: boolean;
}

export function registerRecord(program: Command, io: CliIo): void {
  program
    .command('record')
    .description("relay QMP between programs and a QEMU, writing every message with its time to a recording, until SIGINT or SIGTERM")
    .requiredOption('--socket <path>', "the QEMU's QMP unix socket")
    .option('--listen <socket-path>', 'where programs connect instead (a unix socket)')
    .option('--port <n>', 'where programs connect instead (a TCP port of 127.0.0.1; 0: any free one)')
    .requiredOption('-o, --output <file>', 'the recording to write')
    .option('--once', 'stop when the first connection closes')
    .action((flags: RecordFlags) => runRecord(flags, io));
}

async function runRecord(flags: RecordFlags, io: CliIo): Promise<void> {
  const where = listenTarget(flags, 'record');
  let fd: number;
  try {
    fd = openSync(flags.output, 'w');
  } catch (e) {
    throw new CliExit(EXIT.usage, `qapi-ts: cannot write the recording '${flags.output}': ${e instanceof Error ? e.message : String(e)}`);
  }
  let firstClosed: () => void = () => {};
  const closedOnce = new Promise<void>((resolve) => (firstClosed = resolve));
  const recorder = new QmpRecorder({
    upstream: { path: flags.socket },
    onLine: (line) => writeSync(fd, `${line}\n`),
    onClosed: () => firstClosed(),
  });
  try {
    let address: PeerAddress;
    try {
      address = await recorder.listen(where);
    } catch (e) {
      throw listenFailure(e, where);
    }
    io.stdout(`record: listening on ${placeText(address)}, relaying to ${flags.socket}, writing ${flags.output}\n`);
    await untilStopped(flags.once ? closedOnce : undefined);
  } finally {
    await recorder.close();
    closeSync(fd);
  }
}
