/**
 * Running a command: runCommand validates its arguments against the
 * command's descriptor (nothing is sent when they are wrong), then sends it
 * on any QmpTransport with what the schema says about it (no reply, out of
 * band), and reads the reply as the bindings type it.  Generated command
 * functions call it with their own descriptor, so a bundler keeps only the
 * commands a program calls; CommandRunner, the base of the generated
 * command class, runs any command by name.
 */
import type { AbortSignalLike } from './platform.js';
import { readValue } from './reading.js';
import type { CommandInfo } from './tables.js';
import type { Int64Mode } from './type-rules.js';
import type { ExecuteOptions, QmpTransport } from './transport.js';
import { checkArguments, QapiValidationError, type TypeRegistry } from './validation.js';

export interface CallOptions {
  /** Milliseconds to wait for the reply; 0 or `Infinity`: no limit. Default: the client's `commandTimeout`. */
  readonly timeout?: number;
  readonly signal?: AbortSignalLike;
  /** Skip argument validation (for arguments the schema does not know yet),
   *  and the check against the connected QEMU's schema. */
  readonly unchecked?: boolean;
}

/** Options of commands that allow out-of-band execution. */
export interface OobCallOptions extends CallOptions {
  /** Send as `exec-oob` (the `oob` capability must be negotiated). */
  readonly oob?: boolean;
}

/** What a generated `Commands` map says about each command. */
export interface CommandShape {
  readonly args: unknown;
  readonly returns: unknown;
  readonly oob: boolean;
}

/** The arguments of `execute(name, ...)`: none, optional or required. */
export type ExecuteArguments<C extends { [K in keyof C]: CommandShape }, K extends keyof C> = [C[K]['args']] extends [undefined]
  ? [args?: undefined, options?: OptionsFor<C[K]>]
  : undefined extends C[K]['args']
    ? [args?: C[K]['args'], options?: OptionsFor<C[K]>]
    : [args: C[K]['args'], options?: OptionsFor<C[K]>];

type OptionsFor<S extends CommandShape> = S['oob'] extends true ? OobCallOptions : CallOptions;

/** Validates a command's arguments, then sends it; resolves with what it
 *  returns, read as the bindings type it (undefined when it returns
 *  nothing).  `int64` is how the bindings hold 64-bit integers. */
export async function runCommand(
  transport: QmpTransport,
  command: CommandInfo,
  args: unknown,
  options: OobCallOptions = {},
  int64: Int64Mode = 'mixed',
): Promise<unknown> {
  const problems = options.unchecked ? [] : checkArguments(command, args, int64);
  if (options.oob && !command.oob) problems.push('options.oob: the command does not allow out-of-band execution');
  if (problems.length > 0) throw new QapiValidationError(command.name, problems);
  const execute: ExecuteOptions = { noReply: command.noReply };
  if (options.oob) execute.oob = true;
  if (options.unchecked) execute.unchecked = true;
  if (options.timeout !== undefined) execute.timeout = options.timeout;
  if (options.signal !== undefined) execute.signal = options.signal;
  // Handed to the transport before the first await: runBlockJob learns the
  // job a command starts from what is sent synchronously (sent-commands.ts).
  const result = await transport.execute(command.name, args as Record<string, unknown> | undefined, execute);
  // Commands without 'returns' answer {}; their functions promise nothing.
  if (command.noReply || command.returns === null) return undefined;
  // The reply as the bindings type it (their Int64Mode).
  return readValue(command.returns, result, 'return', command.name, int64);
}

/** Base of the generated command class: runs any command of its schema by name. */
export class CommandRunner<C extends { [K in keyof C]: CommandShape }> {
  constructor(
    readonly transport: QmpTransport,
    protected readonly registry: TypeRegistry<unknown, C>,
  ) {}

  /** Runs any command by name, typed like its method. */
  execute<K extends keyof C & string>(name: K, ...rest: ExecuteArguments<C, K>): Promise<C[K]['returns']> {
    const [args, options] = rest;
    return this.call(name, args, options) as Promise<C[K]['returns']>;
  }

  protected call(name: string, args: unknown, options: OobCallOptions = {}): Promise<unknown> {
    const command = this.registry.command(name);
    if (!command) return Promise.reject(new QapiValidationError(name, ['not a command of this schema']));
    return runCommand(this.transport, command, args, options, this.registry.int64);
  }
}
