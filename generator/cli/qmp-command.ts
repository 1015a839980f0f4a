/**
 * `qapi-ts qmp --socket PATH [--schema SCHEMA [--qemu-version X.Y | --legacy]] COMMAND [ARGS-JSON] [--wait-job]`:
 * one QMP command, typed like the bindings.  The schema is chosen as
 * `generate` chooses it (flag, qapi-ts.config.json, embedded default).  The
 * arguments are validated with the schema's tables before anything is sent
 * (exit 4); then the command runs and its return value is printed as JSON
 * on stdout.  Error replies and connection failures exit 3.  `--wait-job`
 * follows the block job the command starts until it ends, and says how.
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
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
  TypeRegistry,
  type BlockJobProgress,
} from 'qapi-ts-runtime';
import { buildTables } from '../emit/parts/descriptors.js';
import { chooseSchemas, loadConfig } from './config.js';
import { resolveSettings } from '../settings/table.js';
import { fileSource, readInput } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';
import { progressView, type ProgressView } from './qmp-progress.js';
import { prepareRequest, type QmpRequest } from './qmp-request.js';

interface QmpFlags {
  socket: string;
  schema?: string;
  config?: string;
  legacy?: boolean;
  qemuVersion?: string;
  waitJob?: boolean;
}

export function registerQmp(program: Command, io: CliIo): void {
  const command = program
    .command('qmp')
    .description('run one QMP command, its arguments checked against the schema before anything is sent')
    .argument('<command>', "the command's wire name, e.g. block-commit")
    .argument('[args-json]', 'its arguments, as a JSON object')
    .requiredOption('--socket <path>', "the QMP monitor's unix socket")
    .option('--schema <schema>', 'the schema to check against (default: from qapi-ts.config.json, else the embedded default schema)')
    .option('--config <file>', 'the config file (default: ./qapi-ts.config.json when present)');
  addLanguageOptions(command)
    .option('--wait-job', 'follow the block job the command starts until it ends')
    .action((command: string, argsJson: string | undefined, flags: QmpFlags) => runQmp(command, argsJson, flags, io));
}

interface SchemaTables {
  readonly registry: TypeRegistry;
  readonly commands: string[];
  readonly schemaName: string;
  readonly embedded: boolean;
}

/** The registry of the schema `generate` would read, and every command name in it. */
async function schemaRegistry(flags: QmpFlags, io: CliIo): Promise<SchemaTables> {
  const config = loadConfig(flags.config);
  const chosen = chooseSchemas(flags.schema, flags, config);
  if (chosen.length > 1) {
    const names = chosen.map((c) => basename(c.schema)).join(', ');
    throw new CliExit(EXIT.usage, `qapi-ts: qapi-ts.config.json lists several schemas (${names}): choose one with --schema`);
  }
  const { schema, legacy, qemuVersion, embedded } = chosen[0]!;
  const { model } = await readInput(fileSource(embedded ? 'schema' : 'file', schema, { legacy, qemuVersion }), io);
  const tables = buildTables(model, resolveSettings({}, config.settings));
  return {
    registry: new TypeRegistry([tables.types], [tables.commands]),
    commands: tables.commands.map((c) => c.name),
    schemaName: basename(schema),
    embedded,
  };
}

async function runQmp(command: string, argsJson: string | undefined, flags: QmpFlags, io: CliIo): Promise<void> {
  const { registry, ...schema } = await schemaRegistry(flags, io);
  const request = prepareRequest(registry, command, argsJson, { ...schema, waitJob: flags.waitJob === true });
  // Only now, with arguments known to be valid, is anything connected.
  let client: QmpClient;
  try {
    client = await QmpClient.connect(
      { path: flags.socket },
      {
        capabilities: request.info.oob ? ['oob'] : [],
        onProtocolError: (e) => io.stderr(`qapi-ts: warning: ${e.message} from the server: ${e.excerpt}\n`),
      },
    );
  } catch (e) {
    throw failure(e, flags.socket);
  }
  try {
    if (request.jobId === undefined) printResult(io, await execute(client, request));
    else await followJob(client, request, request.jobId, io);
  } catch (e) {
    throw failure(e);
  } finally {
    await client.close();
  }
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

const CONNECT_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such socket',
  ECONNREFUSED: 'connection refused (nothing is listening)',
  EACCES: 'permission denied',
  ENOTSOCK: 'not a socket',
};

/** Exit 3 with a one-line message for what went wrong on the QMP side;
 *  `socket` is given while connecting. */
function failure(e: unknown, socket?: string): unknown {
  if (e instanceof QmpError) return new CliExit(EXIT.qmp, `${e.errorClass}: ${e.desc}`);
  if (e instanceof QmpJobError || e instanceof QmpJobNotFoundError) return new CliExit(EXIT.qmp, `qapi-ts: ${e.message}`);
  if (e instanceof QmpConnectionError && socket !== undefined) {
    const code = (e.cause as { code?: unknown } | undefined)?.code;
    const reason = typeof code === 'string' ? CONNECT_ERRORS[code] : undefined;
    if (reason !== undefined) return new CliExit(EXIT.qmp, `qapi-ts: cannot connect to QMP socket ${socket}: ${reason}`);
  }
  if (e instanceof QmpConnectionError || e instanceof QmpTimeoutError || e instanceof QmpProtocolError) return new CliExit(EXIT.qmp, `qapi-ts: ${e.message}`);
  return e;
}
