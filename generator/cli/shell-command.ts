/**
 * `qapi-ts shell (SOCKET | --socket SOCKET | --qemu BINARY [-- ARGS]) [--schema FILE]`:
 * an interactive QMP shell typed by the schema (the one given, else the
 * connected QEMU's own, as `qmp` chooses it).  It runs on the process's
 * own stdin and stdout, which are the terminal it talks to; on anything
 * else (a pipe) it reads one command a line without prompt or editing.
 */
import type { Command } from 'commander';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addSchemaOptions, givenSchema, liveSchema, schemaConfig, type SchemaFlags } from './qmp-schema.js';
import { checkTarget, interruptible, openTarget, splitOperands, TARGET_OPTIONS, type TargetFlags } from './qmp-target.js';
import { defaultHistoryFile, HistoryFile } from './shell-history.js';
import { runSession } from './shell-session.js';

interface ShellFlags extends SchemaFlags, TargetFlags {
  /** A file, or false for --no-history. */
  history?: string | false;
}

export function registerShell(program: Command, io: CliIo): void {
  const command = program
    .command('shell')
    .argument('[socket]', "the QMP monitor's unix socket (as --socket)")
    .description('an interactive QMP shell: completion, validation and help from the schema, events as they arrive, history')
    .option(...TARGET_OPTIONS.socket)
    .option(...TARGET_OPTIONS.qemu);
  addSchemaOptions(command)
    .option('--history <file>', 'keep the history in this file (default: $XDG_STATE_HOME/qapi-ts/history, else ~/.qapi-ts_history)')
    .option('--no-history', 'keep the history for this session only')
    .allowExcessArguments(true)
    .action((_socket: unknown, flags: ShellFlags, command: Command) => runShell(splitOperands(command), flags, io));
}

async function runShell({ operands, qemuArgs }: { operands: string[]; qemuArgs: string[] }, flags: ShellFlags, io: CliIo): Promise<void> {
  // `qapi-ts shell PATH`, as qmp-shell is started, is `--socket PATH`.
  if (operands.length > 1 || (operands.length === 1 && (flags.socket !== undefined || flags.qemu !== undefined))) {
    throw new CliExit(EXIT.usage, `qapi-ts: shell takes at most a socket path, got ${operands.join(' ')} (QEMU's own arguments go after --)`);
  }
  if (operands.length === 1) flags.socket = operands[0];
  checkTarget(flags, qemuArgs);
  const config = schemaConfig(flags);
  const given = await givenSchema(flags, config, io);
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const history = flags.history === false ? undefined : new HistoryFile(flags.history ?? defaultHistoryFile(), (m) => io.stderr(`${m}\n`));
  // Until the session prints above the prompt, QEMU's stderr goes straight to ours.
  let qemuSays = (text: string): void => io.stderr(text);
  const end = await interruptible(async (signal) => {
    const target = await openTarget(flags, qemuArgs, {
      connect: { capabilities: ['oob'], onProtocolError: (e) => io.stderr(`qapi-ts: warning: ${e.message} from the server: ${e.excerpt}\n`) },
      signal,
      onQemuStderr: (text) => qemuSays(text),
    });
    try {
      const schema = given ?? (await liveSchema(target.client, target.label, config, io));
      const { qemu } = target.client.greeting.version;
      return await runSession({
        client: target.client,
        schema,
        input: process.stdin,
        output: process.stdout,
        terminal,
        history,
        signal,
        banner: `Connected to QEMU ${qemu.major}.${qemu.minor}.${qemu.micro}: ${target.label}; calls are checked against ${schema.label}. Type 'help' for help.`,
        onPrinter: (print) => (qemuSays = (text) => print(text.replace(/\n$/, '').replace(/^/gm, 'qemu: '))),
      });
    } finally {
      await target.close();
    }
  });
  if (end.how === 'interrupted') throw new CliExit(EXIT.interrupted, `qapi-ts: interrupted${flags.qemu !== undefined ? '; QEMU was stopped' : ''}`);
  if (end.how === 'connection-lost') throw new CliExit(EXIT.qmp, `qapi-ts: ${end.error.message}`);
}
