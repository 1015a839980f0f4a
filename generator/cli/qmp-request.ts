/**
 * `qapi-ts qmp`, before anything is sent: parse ARGS-JSON losslessly, find
 * the command in the schema, validate the arguments, find the job to
 * follow.  Any problem ends the run with exit 4 while nothing is connected.
 */
import { nearMisses, parseQmpJson, type CommandInfo, type TypeRegistry } from 'qapi-ts-runtime';
import { CliExit, EXIT } from './io.js';

export interface QmpRequest {
  readonly command: string;
  readonly args: Record<string, unknown> | undefined;
  readonly info: CommandInfo;
  /** The job `--wait-job` follows: `job-id`, else `device`. */
  readonly jobId: string | undefined;
}

function invalid(message: string): CliExit {
  return new CliExit(EXIT.invalidArguments, `qapi-ts: ${message}; nothing was sent`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** ARGS-JSON as an object; integers beyond 2^53 become bigint. */
function parseArguments(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseQmpJson(text);
  } catch (e) {
    throw invalid(`ARGS-JSON is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`ARGS-JSON must be a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function own(args: Record<string, unknown> | undefined, key: string): unknown {
  return args !== undefined && Object.hasOwn(args, key) ? args[key] : undefined;
}

export interface RequestOptions {
  /** Every command name of the schema (for suggestions). */
  readonly commands: readonly string[];
  /** How messages name the schema (`the schema qapi-schema.json`). */
  readonly label: string;
  readonly waitJob: boolean;
}

/** The command and its arguments, checked against the schema: exit 4 (nothing sent) naming every problem. */
export function checkRequest(registry: TypeRegistry, command: string, args: Record<string, unknown> | undefined, options: RequestOptions): QmpRequest {
  const info = registry.command(command);
  if (!info) {
    const near = nearMisses(command, options.commands);
    const hint = near.length === 0 ? '' : ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)`;
    throw invalid(`unknown command '${command}': ${options.label} has no such command${hint}`);
  }
  const problems = registry.checkArguments(command, args);
  if (problems.length > 0) {
    const list = problems.map((p) => `qapi-ts: ${command}: ${p}`).join('\n');
    throw new CliExit(
      EXIT.invalidArguments,
      `${list}\nqapi-ts: ${command}: invalid arguments (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was sent`,
    );
  }
  let jobId: string | undefined;
  if (options.waitJob) {
    const id = own(args, 'job-id') ?? own(args, 'device');
    if (typeof id !== 'string') throw invalid(`--wait-job: the arguments name no job (neither 'job-id' nor 'device')`);
    jobId = id;
  }
  return { command, args, info, jobId };
}

/** COMMAND and ARGS-JSON as `qmp` takes them, checked (see checkRequest). */
export function prepareRequest(registry: TypeRegistry, command: string, argsJson: string | undefined, options: RequestOptions): QmpRequest {
  // An unknown command is reported before its arguments are read.
  if (!registry.command(command)) return checkRequest(registry, command, undefined, options);
  return checkRequest(registry, command, parseArguments(argsJson), options);
}
