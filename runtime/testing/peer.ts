/**
 * QmpPeer: a QMP server made from generated bindings (their registry) or a
 * QEMU's own schema (a query-qmp-schema capture), for testing programs
 * that talk to QEMU without QEMU.  It speaks the protocol as QEMU's
 * monitor does (session.ts), checks every call with the bindings'
 * validators as QEMU's input visitor would (verdict.ts), answers
 * query-qmp-schema from the schema, runs typed handlers, sends typed
 * events, simulates jobs (jobs.ts), records what each client sent, and
 * applies the faults a test scripts (faults.ts).
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isQmpError } from '../errors.js';
import { stringifyQmpJson } from '../json.js';
import { QemuSchema } from '../qemu-schema.js';
import { readSchemaInfo } from '../schema-info.js';
import { chooseRelease } from '../span.js';
import { inRelease, resolveType, returnsIn, type CommandInfo, type ReleaseSet, type TypeDescriptor, type TypeRef } from '../tables.js';
import type { QmpTimestamp, QmpVersion } from '../types.js';
import { TypeRegistry, valueProblems, problemText } from '../validation.js';
import { jobCommands, type BuiltinHandler } from './builtins.js';
import { PeerConnection } from './connection.js';
import { CommandFailure, PeerHandlerError, type ReplayMismatchError } from './errors.js';
import { FaultScript, type Fault, type FaultOptions } from './faults.js';
import { fitToType } from './fit.js';
import { JobSimulator, type JobHost } from './jobs.js';
import { schemaRecords } from './schema-records.js';
import { PeerServer } from './server.js';
import { ProtocolSession, type Answer, type Request, type SessionHost } from './session.js';

/** The commands of a peer without typed bindings: arguments as objects. */
type AnyCommands = Record<string, { args: Record<string, unknown> | undefined; returns: unknown; oob: boolean }>;

/** The arguments a handler of command K receives: the call's arguments
 *  (an empty object when it sent none), read as the bindings type them. */
export type HandlerArgs<C, K extends keyof C> = C[K] extends { args: infer A } ? ([A] extends [undefined] ? undefined : Exclude<A, undefined>) : Record<string, unknown>;

/** What a handler of command K returns (checked against the schema). */
export type HandlerReturn<C, K extends keyof C> = C[K] extends { returns: infer R } ? R : unknown;

/** The call a handler serves. */
export interface PeerCall {
  readonly command: string;
  /** Which connection (1 for the peer's first). */
  readonly connection: number;
  /** The request's id, as sent (undefined when it had none). */
  readonly id: unknown;
  readonly oob: boolean;
  /** Answers the call with QEMU's error reply (throws CommandFailure). */
  fail(errorClass: string, desc: string): never;
}

export type PeerHandler<C, K extends keyof C> = (
  args: HandlerArgs<C, K>,
  call: PeerCall,
) => HandlerReturn<C, K> | Promise<HandlerReturn<C, K>>;

/** A request that named a command, as the peer received it. */
export interface ReceivedCall {
  readonly connection: number;
  readonly command: string;
  /** Its `arguments`, as sent (undefined when it had none). */
  readonly arguments: Record<string, unknown> | undefined;
  readonly id: unknown;
  readonly oob: boolean;
  /** How the peer answered, once it has: the return value, or the error. */
  answer?: { readonly return: unknown } | { readonly error: { readonly class: string; readonly desc: string } };
}

export interface PeerGreeting {
  readonly version?: QmpVersion;
  /** Capabilities offered (default `['oob']`, as QEMU offers on a socket). */
  readonly capabilities?: readonly string[];
}

export interface PeerOptions<C = AnyCommands, E = Record<string, unknown>> {
  /** The bindings' registry (generated `registry`): calls are checked with
   *  its validators, handlers and events typed by it. */
  readonly bindings?: TypeRegistry<unknown, C, E>;
  /**
   * A QEMU's query-qmp-schema reply (a capture's `schema`): served as it
   * is.  Without `bindings`, calls are also checked against it (every
   * integer type is then `int`: QEMU's reply does not say widths).
   */
  readonly schema?: readonly unknown[];
  /** The greeting: QEMU's version (default 10.0.2, or the `release` the
   *  peer plays; the package naming the schema, so that clients caching
   *  schemas by version keep them apart). */
  readonly greeting?: PeerGreeting;
  /**
   * With bindings that span releases: the release of theirs the peer plays
   * (default: the one its greeting's version is, as the client chooses).
   * It then has only that release's commands, takes arguments as that
   * release does, answers and sends events as that release's types say,
   * and reports that release's schema.
   */
  readonly release?: string;
  /** How a valid call to a command nobody handles is answered (default
   *  GenericError, its description saying no handler is set). */
  readonly unhandled?: { readonly errorClass?: string; readonly desc?: (command: string) => string };
  /**
   * Told what goes wrong in the peer's own test setup: a handler throwing,
   * a handler's return value the schema refuses, a replay that diverges.
   * Default: thrown from a microtask, so the test run fails loudly.
   */
  readonly onError?: (error: PeerHandlerError | ReplayMismatchError) => void;
  /** Event timestamps (default: the wall clock). */
  readonly clock?: () => QmpTimestamp;
  /** Longest message a client may send (default 16 MiB). */
  readonly maxMessageBytes?: number;
}

const DEFAULT_VERSION = { major: 10, minor: 0, micro: 2 };

/** The protocol's own commands, for bindings that lack them. */
const PROTOCOL_COMMANDS: readonly CommandInfo[] = [
  {
    name: 'qmp_capabilities',
    args: { kind: 'object', members: [['enable', { kind: 'array', element: { kind: 'enum', values: ['oob'] } }, true]] },
    returns: null,
    oob: false,
    noReply: false,
    errors: [],
  },
  { name: 'query-qmp-schema', args: null, returns: null, oob: false, noReply: false, errors: [] },
];

export function wallClock(): QmpTimestamp {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), microseconds: (ms % 1000) * 1000 };
}

/** The default error thrower: where a test runner notices it. */
function rethrow(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** A short hash of a text (FNV-1a), to name a schema in the greeting. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function registryOf(schema: readonly unknown[]): TypeRegistry {
  const reading = readSchemaInfo(schema);
  if (!reading.ok) throw new TypeError(`QmpPeer: options.schema is no query-qmp-schema reply: ${reading.problems.slice(0, 5).join('; ')}`);
  return new QemuSchema(reading.entities).registry;
}

/** The position of the release a peer plays in its bindings' span (-1
 *  for bindings of one schema): the one asked for, else the one its
 *  greeting's version is. */
function releasePlayed(registry: TypeRegistry<unknown, unknown, unknown>, options: PeerOptions<unknown, unknown>): number {
  const span = registry.span;
  if (span === undefined) {
    if (options.release !== undefined) throw new TypeError(`QmpPeer: options.release ('${options.release}') needs bindings that span releases`);
    return -1;
  }
  if (options.release !== undefined) {
    const index = span.releases.indexOf(options.release);
    if (index < 0) throw new TypeError(`QmpPeer: options.release '${options.release}' is not one of the bindings' releases (${span.releases.join(', ')})`);
    return index;
  }
  const version = options.greeting?.version?.qemu ?? DEFAULT_VERSION;
  const choice = chooseRelease(span, version, `QEMU ${version.major}.${version.minor}.${version.micro}`);
  if (choice.release === undefined) throw new TypeError(`QmpPeer: ${choice.note}: give options.release`);
  return choice.index;
}

/** The version a peer playing a release announces: its first (X.Y.0). */
function releaseVersion(release: string): QmpVersion['qemu'] {
  const [major, minor] = release.split('.').map(Number) as [number, number];
  return { major, minor, micro: 0 };
}

export class QmpPeer<C = AnyCommands, E = Record<string, unknown>> extends PeerServer {
  /** The registry calls are checked with. */
  readonly registry: TypeRegistry<unknown, unknown, unknown>;
  /** Every job the peer simulates; handlers start them (`peer.jobs.start`). */
  readonly jobs: JobSimulator;
  /** Every request that named a command, in arrival order. */
  readonly calls: ReceivedCall[] = [];
  /** Every message received (requests, and whatever else arrived), by connection. */
  readonly received: { readonly connection: number; readonly message: unknown }[] = [];
  private readonly handlers = new Map<string, (args: unknown, call: PeerCall) => unknown>();
  private readonly builtins = new Map<string, BuiltinHandler>();
  private readonly faultScript = new FaultScript();
  private readonly sessions = new Set<ProtocolSession>();
  private readonly ready = new Set<ProtocolSession>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly stalls = new Set<() => void>();
  private readonly host: SessionHost;
  private readonly schemaText: string;
  private readonly version: QmpVersion;
  private readonly onError: (error: PeerHandlerError | ReplayMismatchError) => void;
  private readonly clock: () => QmpTimestamp;
  private readonly maxMessageBytes: number;
  private silent = false;
  private names: Map<TypeDescriptor, string> | undefined;
  /** The position of the release played in the bindings' span; -1 for
   *  bindings of one schema. */
  private readonly releaseIndex: number;

  constructor(private readonly options: PeerOptions<C, E> = {}) {
    super();
    if (options.bindings === undefined && options.schema === undefined) {
      throw new TypeError('QmpPeer: give the bindings (options.bindings) or a QEMU schema (options.schema)');
    }
    this.registry = (options.bindings as TypeRegistry<unknown, unknown, unknown> | undefined) ?? registryOf(options.schema!);
    if (options.schema !== undefined && options.bindings !== undefined) registryOf(options.schema);
    this.releaseIndex = releasePlayed(this.registry, options);
    this.schemaText = stringifyQmpJson(options.schema ?? schemaRecords(this.registry, this.releaseIndex));
    const qemu = this.releaseIndex < 0 || options.release === undefined ? DEFAULT_VERSION : releaseVersion(options.release);
    this.version = options.greeting?.version ?? { qemu, package: `qapi-ts fake QEMU (schema ${shortHash(this.schemaText)})` };
    this.onError = options.onError ?? rethrow;
    this.clock = options.clock ?? wallClock;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.jobs = new JobSimulator(this.jobHost());
    for (const [name, handler] of Object.entries(jobCommands(this.jobs))) this.builtins.set(name, handler);
    this.builtins.set('query-version', () => this.version);
    this.builtins.set('query-commands', () => this.commandNames().map((name) => ({ name })));
    this.host = this.sessionHost();
  }

  /** The version the greeting announces. */
  get qemuVersion(): QmpVersion {
    return this.version;
  }

  /** With bindings that span releases, the release the peer plays. */
  get release(): string | undefined {
    return this.registry.span?.releases[this.releaseIndex];
  }

  /** Whether the release played has what carries these releases (absent:
   *  every release). */
  private plays(releases: ReleaseSet | undefined): boolean {
    return releases === undefined || this.releaseIndex < 0 || inRelease(releases, this.releaseIndex);
  }

  /** The commands the peer has: the bindings', of the release it plays. */
  private commandNames(): string[] {
    return this.registry.commandNames().filter((name) => this.plays(this.registry.command(name)!.releases));
  }

  /**
   * Answers command `name` with `handler`, typed by the bindings: it gets
   * the call's arguments (valid: the peer checked them) and returns what
   * the command returns (checked against the schema: a value it refuses
   * fails the test).  Throw CommandFailure (or QmpError) to answer with an
   * error.  Replaces the peer's own answer (query-version, the job
   * commands) and an earlier handler.
   */
  handle<K extends keyof C & string>(name: K, handler: PeerHandler<C, K>): this {
    if (this.registry.command(name) === undefined) throw new TypeError(`QmpPeer.handle: '${name}' is not a command of the schema`);
    this.handlers.set(name, handler as (args: unknown, call: PeerCall) => unknown);
    return this;
  }

  /**
   * Sends an event to every client past capabilities negotiation.  Its
   * data must be what the schema says (else it throws, and nothing is sent).
   */
  emit<K extends keyof E & string>(name: K, ...data: undefined extends E[K] ? [data?: E[K]] : [data: E[K]]): void {
    const type = this.registry.event(name);
    if (type === undefined) throw new TypeError(`QmpPeer.emit: '${name}' is not an event of the schema`);
    if (!this.plays(this.registry.eventReleases(name))) throw new TypeError(`QmpPeer.emit: '${name}' is not an event of QEMU ${this.release}`);
    const value = data[0];
    if (type !== null) {
      const problems = valueProblems(type, value, 'data', 'mixed', this.releaseIndex);
      if (problems.length > 0) throw new TypeError(`QmpPeer.emit: ${name}: ${problems.map(problemText).join('; ')}`);
    }
    this.broadcast(name, value);
  }

  /** Scripts a fault on the answer to `command` (`'*'`: any); returns a remover. */
  fault(command: (keyof C & string) | '*', fault: Fault, options?: FaultOptions): () => void {
    return this.faultScript.add(command, fault, options);
  }

  /** From now on no request is answered and no event sent (a hung QEMU). */
  stopAnswering(): void {
    this.silent = true;
  }

  /** Sends a line of text as it is (a malformed message) to every client. */
  sendRaw(text: string): void {
    for (const s of this.sessions) s.sendText(text);
  }

  /** The arguments of every call of `command` received so far, as sent. */
  callsOf<K extends keyof C & string>(command: K): (Record<string, unknown> | undefined)[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.arguments);
  }

  protected accept(stream: Socket | Duplex, number: number): void {
    const session = new ProtocolSession(this.host);
    this.sessions.add(session);
    session.start(new PeerConnection(number, stream, this.maxMessageBytes, session));
  }

  protected shutDown(): void {
    this.jobs.dispose();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const release of this.stalls) release();
  }

  private broadcast(name: string, data: unknown): void {
    if (this.silent) return;
    const event: Record<string, unknown> = { event: name };
    if (data !== undefined) event.data = data;
    event.timestamp = this.clock();
    const text = stringifyQmpJson(event);
    for (const s of this.ready) s.sendText(text);
  }

  private jobHost(): JobHost {
    return {
      emit: (name, data) => {
        const type = this.registry.event(name);
        if (type === undefined || !this.plays(this.registry.eventReleases(name))) return;
        this.broadcast(name, type === null ? undefined : fitToType(type, data, this.releaseIndex));
      },
      later: (fn, ms = 0) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          fn();
        }, ms);
        this.timers.add(timer);
        return () => {
          clearTimeout(timer);
          this.timers.delete(timer);
        };
      },
    };
  }

  private sessionHost(): SessionHost {
    const greeting = { QMP: { version: this.version, capabilities: [...(this.options.greeting?.capabilities ?? ['oob'])] } };
    return {
      greetingText: stringifyQmpJson(greeting),
      offeredCapabilities: greeting.QMP.capabilities,
      typeName: (d) => this.typeNames().get(d),
      command: (name) => {
        const info = this.registry.command(name);
        return info !== undefined && this.plays(info.releases) ? info : PROTOCOL_COMMANDS.find((c) => c.name === name);
      },
      release: this.releaseIndex,
      run: (request, session) => this.run(request, session),
      takeFault: (command) => this.faultScript.take(command),
      silent: () => this.silent,
      noteMessage: (session, message) => {
        this.received.push({ connection: session.number, message });
      },
      noteRequest: (session, request) => {
        const call: ReceivedCall = {
          connection: session.number,
          command: request.command,
          arguments: request.hasArguments ? request.args : undefined,
          id: request.id,
          oob: request.oob,
        };
        this.calls.push(call);
        return (answer) => {
          if (answer !== null && !('returnText' in answer)) call.answer = answer;
        };
      },
      ready: (session) => this.ready.add(session),
      closed: (session) => {
        this.sessions.delete(session);
        this.ready.delete(session);
      },
      stall: () =>
        new Promise<void>((resolve) => {
          this.stalls.add(resolve);
        }),
    };
  }

  /** The named types by descriptor; a capture's numbers are no names. */
  private typeNames(): Map<TypeDescriptor, string> {
    if (this.names === undefined) {
      this.names = new Map();
      for (const name of this.registry.typeNames()) {
        const d = this.registry.type(name);
        if (d !== undefined && !/^\d+$/.test(name)) this.names.set(d, name);
      }
    }
    return this.names;
  }

  /** Step 6: a valid call runs: a handler, the peer's own answer, or the unhandled error. */
  private async run(request: Request, session: ProtocolSession): Promise<Answer> {
    const { command, info } = request;
    if (command === 'query-qmp-schema') return { returnText: this.schemaText };
    const call: PeerCall = {
      command,
      connection: session.number,
      id: request.id,
      oob: request.oob,
      fail: (errorClass, desc) => {
        throw new CommandFailure(errorClass, desc);
      },
    };
    const handler = this.handlers.get(command) ?? this.builtins.get(command);
    if (handler === undefined) {
      const unhandled = this.options.unhandled;
      const desc = unhandled?.desc?.(command) ?? `fake QEMU: no handler answers '${command}' (its arguments are valid; set one with peer.handle('${command}', ...))`;
      return { error: { class: unhandled?.errorClass ?? 'GenericError', desc } };
    }
    let args: unknown = info.args === null ? undefined : structuredClone(request.args);
    let value: unknown;
    try {
      if (info.args !== null && this.handlers.has(command)) args = this.registry.read(info.args, args, 'arguments', command, this.releaseIndex);
      value = await handler(args as Record<string, unknown>, call);
    } catch (e) {
      if (e instanceof CommandFailure) return { error: { class: e.errorClass, desc: e.desc } };
      if (isQmpError(e)) return { error: { class: e.errorClass, desc: e.desc } };
      return this.handlerFailed(new PeerHandlerError(command, `the handler threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e }));
    }
    if (info.noReply) return null;
    const returns = returnsIn(info, this.releaseIndex);
    if (returns === null || (value === undefined && isEmptyObject(returns))) {
      if (value !== undefined) return this.handlerFailed(new PeerHandlerError(command, `returns nothing, but the handler returned ${describe(value)}`));
      return { return: {} };
    }
    const fitted = this.handlers.has(command) ? value : fitToType(returns, value, this.releaseIndex);
    const problems = valueProblems(returns, fitted, 'return', 'mixed', this.releaseIndex);
    if (problems.length > 0) {
      return this.handlerFailed(new PeerHandlerError(command, `the handler's return value is not what the schema says: ${problems.map(problemText).join('; ')}`));
    }
    return { return: fitted };
  }

  private handlerFailed(error: PeerHandlerError): Answer {
    this.onError(error);
    return { error: { class: 'GenericError', desc: `fake QEMU: ${error.message}` } };
  }
}

/** Whether a type is the empty object QEMU's schema names as the return
 *  type of a command that returns nothing. */
function isEmptyObject(ref: TypeRef): boolean {
  const d = resolveType(ref);
  return typeof d === 'object' && d.kind === 'object' && d.members.length === 0 && d.tag === undefined;
}

function describe(value: unknown): string {
  const text = (() => {
    try {
      return stringifyQmpJson(value);
    } catch {
      return String(value);
    }
  })();
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
