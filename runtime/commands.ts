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
import { commandRefusal, QmpUnavailableError, releaseNames, type ReleaseChoice } from './span.js';
import { inRelease, memberTypeIn, resolveType, returnsIn, valueReleases, type CommandInfo, type MemberDescriptor, type SpanInfo, type TypeRef } from './tables.js';
import type { Int64Mode } from './type-rules.js';
import type { ExecuteOptions, QmpTransport } from './transport.js';
import { argumentProblems, problemText, QapiValidationError, type TypeRegistry } from './validation.js';

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

/** The arguments of `execute(name, ...)`: none, optional or required;
 *  `never` (no call compiles) for a command the view's release lacks. */
export type ExecuteArguments<C extends { [K in keyof C]: CommandShape }, K extends keyof C> = [C[K]['args']] extends [never]
  ? [unavailable: never]
  : [C[K]['args']] extends [undefined]
    ? [args?: undefined, options?: OptionsFor<C[K]>]
    : undefined extends C[K]['args']
      ? [args?: C[K]['args'], options?: OptionsFor<C[K]>]
      : [args: C[K]['args'], options?: OptionsFor<C[K]>];

/** The members a command's arguments may have (of any branch of a union). */
export type ArgumentMember<A> = A extends object ? keyof A & string : never;

/** What `supports` asks about a command: a member of its arguments, and
 *  maybe a value of that member (an enum's). */
export interface SupportQuery<A> {
  readonly member: ArgumentMember<A>;
  readonly value?: string;
}

type OptionsFor<S extends CommandShape> = S['oob'] extends true ? OobCallOptions : CallOptions;

/**
 * For bindings that span releases: the release of the span the transport
 * talks to (undefined when it cannot tell), after refusing a command that
 * release lacks with QmpUnavailableError; a QEMU older than the span is
 * refused every call.
 */
function releaseFor(transport: QmpTransport, command: CommandInfo, span: SpanInfo): ReleaseChoice | undefined {
  const choice = transport.releaseIn?.(span);
  if (choice === undefined) return undefined;
  const refusal = commandRefusal(command.name, command.releases, span, choice);
  if (refusal !== null) throw refusal;
  return choice;
}

/** Validates a command's arguments, then sends it; resolves with what it
 *  returns, read as the bindings type it (undefined when it returns
 *  nothing).  `int64` is how the bindings hold 64-bit integers; `span`,
 *  the releases of bindings that span several: the call is checked
 *  against the connected QEMU's release first (see gate). */
export async function runCommand(
  transport: QmpTransport,
  command: CommandInfo,
  args: unknown,
  options: OobCallOptions = {},
  int64: Int64Mode = 'mixed',
  span?: SpanInfo,
): Promise<unknown> {
  const choice = span === undefined || options.unchecked ? undefined : releaseFor(transport, command, span);
  const release = choice?.index ?? -1;
  const found = options.unchecked ? [] : argumentProblems(command, args, int64, release);
  // What the release lacks is refused as such, naming the releases that have it.
  const missing = found.flatMap((p) =>
    p.unavailable === undefined || choice === undefined || span === undefined
      ? []
      : [{ path: p.path, what: p.unavailable.what, name: p.unavailable.name, releases: releaseNames(span, p.unavailable.releases) }],
  );
  if (missing.length > 0) throw new QmpUnavailableError(command.name, choice!, missing);
  const problems = found.map(problemText);
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
  const returns = returnsIn(command, release);
  if (command.noReply || returns === null) return undefined;
  // The reply as the bindings type it (their Int64Mode).
  return readValue(returns, result, 'return', command.name, int64, release);
}

/** Base of the generated command class: runs any command of its schema by
 *  name.  For bindings that span releases (`R`, their releases), it tells
 *  the connected release and what it supports; `V` is the releases a view
 *  of the commands is typed for (`at()`, `isRelease()`). */
export class CommandRunner<C extends { [K in keyof C]: CommandShape }, R extends string = string, V extends R = R> {
  /** The releases this view is typed for (type-level only; never set): a
   *  view of fewer releases is a narrower type, so `isRelease` narrows. */
  declare readonly typedFor?: V;

  constructor(
    readonly transport: QmpTransport,
    protected readonly registry: TypeRegistry<unknown, C, unknown, R>,
  ) {}

  /**
   * The release of the span the connected QEMU is taken to be (see
   * `releaseChoice`); undefined for bindings of one schema, a transport
   * that cannot tell, or a QEMU older than every release of the span.
   */
  get release(): R | undefined {
    return this.releaseChoice?.release as R | undefined;
  }

  /** How the release was chosen, with a note when the QEMU is not exactly
   *  one of the span's releases. */
  get releaseChoice(): ReleaseChoice<R> | undefined {
    const span = this.registry.span;
    return span === undefined ? undefined : (this.transport.releaseIn?.(span) as ReleaseChoice<R> | undefined);
  }

  /**
   * Whether the connected release has a command (and a member of its
   * arguments, and a value of that member), from the bindings' own tables:
   * what a call is checked against before it is sent.  When the release is
   * not known, whether some release of the span has it; a QEMU older than
   * the span supports nothing.
   */
  supports<K extends keyof C & string>(command: K, query?: SupportQuery<C[K]['args']>): boolean {
    const info = this.registry.command(command);
    if (info === undefined) return false;
    const choice = this.releaseChoice;
    if (choice !== undefined && choice.release === undefined) return false;
    const release = choice?.index ?? -1;
    if (release >= 0 && info.releases !== undefined && !inRelease(info.releases, release)) return false;
    if (query === undefined) return true;
    const member = info.args === null ? undefined : findMember(info.args, query.member);
    if (member === undefined) return false;
    const releases = member[3];
    if (release >= 0 && releases?.in !== undefined && !inRelease(releases.in, release)) return false;
    if (query.value === undefined) return true;
    const type = resolveType(memberTypeIn(member, release));
    if (typeof type !== 'object' || type.kind !== 'enum' || !type.values.includes(query.value)) return false;
    const valueIn = valueReleases(type, query.value);
    return release < 0 || valueIn === undefined || inRelease(valueIn, release);
  }

  /** A view of the same commands for one release (no check: calls are
   *  still checked against the connected QEMU's release when sent). */
  protected viewOf(release: string): unknown {
    const span = this.registry.span;
    if (span === undefined || !span.releases.includes(release as R)) {
      throw new RangeError(`${release} is not a release of these bindings${span ? ` (${span.releases.join(', ')})` : ''}`);
    }
    return this;
  }

  /** Whether the connected QEMU is taken to be this release of the span. */
  protected releaseIs(release: string): boolean {
    return this.release === release;
  }

  /** Runs any command by name, typed like its method. */
  execute<K extends keyof C & string>(name: K, ...rest: ExecuteArguments<C, K>): Promise<C[K]['returns']> {
    const [args, options] = rest;
    return this.call(name, args, options) as Promise<C[K]['returns']>;
  }

  protected call(name: string, args: unknown, options: OobCallOptions = {}): Promise<unknown> {
    const command = this.registry.command(name);
    if (!command) return Promise.reject(new QapiValidationError(name, ['not a command of this schema']));
    return runCommand(this.transport, command, args, options, this.registry.int64, this.registry.span);
  }
}

/** A member of a command's arguments, in the object or any union branch. */
function findMember(ref: TypeRef, name: string): MemberDescriptor | undefined {
  const d = resolveType(ref);
  if (typeof d !== 'object' || d.kind !== 'object') return undefined;
  const own = d.members.find(([n]) => n === name);
  if (own !== undefined) return own;
  for (const [, branch] of d.cases ?? []) {
    const found = findMember(branch, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
