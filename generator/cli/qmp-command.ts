/**
 * `qapi-ts qmp (--socket PATH | --qemu BINARY) [--schema FILE] COMMAND [ARGS-JSON] [--wait-job] [-- QEMU-ARGS]`:
 * one QMP command, typed like the bindings.  The schema is the one given
 * (--schema, a source schema or a capture; --introspection; the config
 * file's), else the connected QEMU's own (qmp-schema.ts).  The arguments
 * are validated before the command is sent (exit 4): with a given schema
 * before anything is connected, with the QEMU's own right after asking it.
 * Then the command runs and its return value is printed as JSON on stdout.
 * Error replies and connection failures exit 3.  `--wait-job` follows the
 * block job the command starts until it ends, and says how.  `--events`
 * prints events instead (qmp-events.ts).
 */
import type { Command } from 'commander';
import { stringify } from 'lossless-json';
import {
  QmpClient,
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpJobNotFoundError,
  QmpProtocolError,
  QmpTimeoutError,
  runBlockJob,
  stringifyQmpJson,
  type BlockJobProgress,
} from 'qapi-ts-runtime';
import type { GenerateConfig } from './config.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { checkEventNames, eventWatch, watchEvents, type EventFlags, type EventWatch } from './qmp-events.js';
import { progressView, type ProgressView } from './qmp-progress.js';
import { prepareRequest, type QmpRequest } from './qmp-request.js';
import { addSchemaOptions, givenSchema, liveSchema, schemaConfig, type CallSchema, type SchemaFlags } from './qmp-schema.js';
import { checkTarget, interruptible, openTarget, splitOperands, TARGET_OPTIONS, type Target, type TargetFlags } from './qmp-target.js';

interface QmpFlags extends SchemaFlags, TargetFlags, EventFlags {
  waitJob?: boolean;
}

export function registerQmp(program: Command, io: CliIo): void {
  const command = program
    .command('qmp')
    .description('run one QMP command, its arguments checked against the schema before anything is sent; or print events')
    .argument('[command]', "the command's wire name, e.g. block-commit")
    .argument('[args-json]', 'its arguments, as a JSON object')
    .option(...TARGET_OPTIONS.socket)
    .option(...TARGET_OPTIONS.qemu);
  addSchemaOptions(command)
    .option('--wait-job', 'follow the block job the command starts until it ends')
    .option('--events [names]', 'print events as JSON lines instead of running a command (only these, comma-separated, when named)')
    .option('--count <n>', 'with --events: stop after this many')
    .option('--timeout <seconds>', 'with --events: stop after this long')
    .allowExcessArguments(true)
    .action((_c: unknown, _a: unknown, flags: QmpFlags, command: Command) => runQmp(splitOperands(command), flags, io));
}

async function runQmp({ operands, qemuArgs }: { operands: string[]; qemuArgs: string[] }, flags: QmpFlags, io: CliIo): Promise<void> {
  checkTarget(flags, qemuArgs);
  if (operands.length > 2) throw new CliExit(EXIT.usage, `qapi-ts: qmp takes COMMAND [ARGS-JSON], got ${operands.length} operands (QEMU's own arguments go after --)`);
  const [command, argsJson] = operands;
  const watch = eventWatch(flags);
  const config = schemaConfig(flags);
  const given = await givenSchema(flags, config, io);
  if (watch !== undefined) {
    if (command !== undefined) throw new CliExit(EXIT.usage, 'qapi-ts: --events prints events; it runs no command (drop COMMAND)');
    if (flags.waitJob) throw new CliExit(EXIT.usage, 'qapi-ts: --wait-job follows the job a command starts; --events runs none');
    if (given) checkEventNames(watch, given.events, given.label);
    return interruptible((signal) => withTarget(flags, qemuArgs, ['oob'], signal, io, (target) => printEvents(target, watch, given, config, signal, io)), flags.qemu === undefined ? undefined : 'QEMU was stopped');
  }
  if (command === undefined) throw new CliExit(EXIT.usage, "qapi-ts: qmp: missing COMMAND (or --events)");
  const waitJob = flags.waitJob === true;
  const request = (schema: CallSchema): QmpRequest => prepareRequest(schema.registry, command, argsJson, { ...schema, waitJob });
  // With a given schema, nothing is connected until the arguments are known to be valid.
  const early = given ? request(given) : undefined;
  const run = async (target: Target): Promise<void> => {
    const checked = early ?? request(await liveSchema(target.client, target.label, config, io));
    if (checked.jobId === undefined) printResult(io, await execute(target.client, checked));
    else await followJob(target.client, checked, checked.jobId, io);
  };
  // The QEMU's own schema may allow the command out of band: oob is asked for in case.
  const capabilities = early === undefined || early.info.oob ? (['oob'] as const) : ([] as const);
  if (flags.qemu === undefined) return withTarget(flags, qemuArgs, capabilities, undefined, io, run);
  return interruptible((signal) => withTarget(flags, qemuArgs, capabilities, signal, io, run));
}

/** Opens the target, runs `body` on it, and closes it (stopping a started QEMU) whatever happens. */
async function withTarget(
  flags: QmpFlags,
  qemuArgs: readonly string[],
  capabilities: readonly 'oob'[],
  signal: AbortSignal | undefined,
  io: CliIo,
  body: (target: Target) => Promise<void>,
): Promise<void> {
  const target = await openTarget(flags, qemuArgs, {
    connect: {
      capabilities: [...capabilities],
      onProtocolError: (e) => io.stderr(`qapi-ts: warning: ${e.message} from the server: ${e.excerpt}\n`),
    },
    ...(signal ? { signal } : {}),
    onQemuStderr: (text) => io.stderr(text),
  });
  try {
    await body(target);
  } catch (e) {
    throw failure(e);
  } finally {
    await target.close();
  }
}

async function printEvents(target: Target, watch: EventWatch, given: CallSchema | undefined, config: GenerateConfig, signal: AbortSignal, io: CliIo): Promise<void> {
  if (!given && watch.names !== undefined) {
    const live = await liveSchema(target.client, target.label, config, io);
    checkEventNames(watch, live.events, live.label);
  }
  await watchEvents(target.client, watch, target.label, signal, io);
}

function execute(client: QmpClient, request: QmpRequest): Promise<unknown> {
  const oob = request.info.oob && client.capabilities.includes('oob');
  return client.execute(request.command, request.args, { noReply: request.info.noReply, ...(oob ? { oob } : {}) });
}

/** Follows the job to its end; the last line on stderr says how it ended. */
async function followJob(client: QmpClient, request: QmpRequest, jobId: string, io: CliIo): Promise<void> {
  // The view starts once the result is printed, so a bar never splits it.
  let view: ProgressView | undefined;
  let early: BlockJobProgress | undefined;
  const start = async (): Promise<void> => {
    printResult(io, await execute(client, request));
    view = await progressView(io, jobId);
    if (early !== undefined) view.update(early);
  };
  try {
    await runBlockJob(client, start, {
      jobId,
      onProgress: (p) => (view ? view.update(p) : (early = p)),
    });
  } finally {
    // Cleared before the final line, whichever it is, so it is the last thing on screen.
    view?.stop();
  }
  io.stderr(`job ${jobId}: completed\n`);
}

/** The return value as JSON, exact beyond 2^53; laid out on a terminal. */
function printResult(io: CliIo, value: unknown): void {
  // Commands with 'success-response': false have no reply to print.
  if (value === undefined) return;
  const text = io.stdoutIsTTY ? (stringify(value, null, 2) ?? 'null') : stringifyQmpJson(value);
  io.stdout(`${text}\n`);
}

/** Exit 3 with a one-line message for what went wrong on the QMP side. */
function failure(e: unknown): unknown {
  if (e instanceof QmpError) return new CliExit(EXIT.qmp, `${e.errorClass}: ${e.desc}`);
  if (e instanceof QmpJobError || e instanceof QmpJobNotFoundError) return new CliExit(EXIT.qmp, `qapi-ts: ${e.message}`);
  if (e instanceof QmpConnectionError || e instanceof QmpTimeoutError || e instanceof QmpProtocolError) return new CliExit(EXIT.qmp, `qapi-ts: ${e.message}`);
  return e;
}
