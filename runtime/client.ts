/**
 * QMP client: one connection, many commands in flight (correlated by `id`),
 * events fanned out to handlers/iterators/waiters.
 *
 * The connection is a state machine (State below): one field holds the
 * state, `enter` makes every transition and does what each implies, and
 * each public method says what it does in each state.  The class holds
 * the connection: its state, what it sends and receives, the commands
 * waiting for their reply.  What is not the connection lives in modules
 * the client composes: the stream's lines and batched writes (Link), the
 * reconnect loop (reconnector()), the schema check (SchemaCheck), the
 * release of a span the QEMU is taken to be (ConnectedRelease), events
 * read through the bindings (readEventData) and tracing (traceCommand).
 */
import type { ConnectOptions } from './connect-options.js';
import { checkGivenRelease, ConnectedRelease } from './connected-release.js';
import { armDeadline, checkTimeout } from './deadline.js';
import type { SchemaDrift } from './drift.js';
import { QmpConnectionError, QmpError, QmpOutcomeUnknownError, QmpProtocolError } from './errors.js';
import { EventHub } from './event-hub.js';
import { readEventData } from './event-reading.js';
import { JsonNestingError, JsonNumberRangeError, parseQmpJson } from './json.js';
import { Link } from './link.js';
import { PendingCommands } from './pending.js';
import type { AbortSignalLike, ByteStream } from './platform.js';
import { reconnectPolicy, reconnector, type ReconnectEvent, type ReconnectPolicy, type Reconnector } from './reconnect.js';
import { startSchemaCheck, type SchemaCheck } from './schema-check.js';
import { openStream } from './socket.js';
import type { ReleaseChoice } from './span.js';
import type { SpanInfo } from './tables.js';
import { traceCommand } from './tracing.js';
import type { ExecuteOptions, QmpTransport } from './transport.js';
import type { AnyEvent, ConnectTarget, EventMap, QmpEvent, QmpGreeting } from './types.js';
import type { TypeRegistry } from './validation.js';
import { classify, encodeCommand } from './wire.js';

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;
const DEFAULT_EVENT_BUFFER = 256;
const DEFAULT_HANDSHAKE_TIMEOUT = 30_000;
/**
 * How long a command waits for its reply unless told otherwise: long enough
 * for the synchronous commands that legitimately take a while (an internal
 * snapshot, a flush to slow storage, a memory dump), short enough that a
 * peer that stopped answering is noticed.
 */
const DEFAULT_COMMAND_TIMEOUT = 5 * 60_000;

/** Time allowed for opening a stream and the handshake. */
function handshakeLimitOf(options: ConnectOptions): number {
  return options.timeout !== undefined && options.timeout > 0 ? options.timeout : DEFAULT_HANDSHAKE_TIMEOUT;
}

export interface WaitForOptions {
  timeout?: number;
  signal?: AbortSignalLike;
  /**
   * Which buffered events count, as a sequence mark (see `eventMark()`):
   * - default: events received since the most recent command was *sent* by
   *   this client, so `await execute(x); await waitFor(y)` sees a `y` emitted
   *   while `x` ran;
   * - `'now'`: only events arriving after this call;
   * - a number: events after that mark (from `eventMark()` or `markOf()`).
   * Only the last `eventBufferSize` events are retained. Any command sent
   * on this client moves the default mark, background polls included (e.g.
   * runBlockJob's); capture `eventMark()` before a command when other code
   * may be sending concurrently.
   */
  since?: number | 'now';
}

/** What one completed handshake established. */
interface Session {
  readonly greeting: QmpGreeting;
  /** Capabilities enabled by negotiation. */
  readonly capabilities: readonly string[];
  /** With `checkSchema`: the connected QEMU's schema. */
  readonly schema: SchemaCheck | undefined;
  /** Bindings that span releases: the release of each span asked about. */
  readonly release: ConnectedRelease;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  // Awaited by the handshake; a greeting nobody waits for any more is no unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Where the connection is.  `attempt` counts reconnection attempts (0: the
 * first connection); the handshake states are the same either way.
 */
type State =
  /** The stream is open; the greeting has not come yet. */
  | { readonly name: 'connecting'; readonly link: Link; readonly attempt: number; readonly greeting: Deferred<QmpGreeting> }
  /** Greeted: capabilities being negotiated, then the schema read (checkSchema). */
  | { readonly name: 'negotiating'; readonly link: Link; readonly attempt: number; readonly greeting: QmpGreeting }
  /** Commands and events flow. */
  | { readonly name: 'ready'; readonly link: Link; readonly session: Session }
  /** Lost (reconnect on): waiting for the reconnect loop's next attempt; `error` says what went wrong last. */
  | { readonly name: 'reconnecting'; readonly error: QmpConnectionError }
  /** close() called: our side ended, waiting (boundedly) for the peer to hang up. */
  | { readonly name: 'closing'; readonly link: Link; readonly error: QmpConnectionError; readonly done: Promise<void> }
  | { readonly name: 'closed'; readonly error: QmpConnectionError };

/** Where a connection is (see State); spelled out, so that declarations need no platform's timer type. */
export type ConnectionState = 'connecting' | 'negotiating' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** The transitions there are; any other is a bug. */
const NEXT: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  connecting: ['negotiating', 'reconnecting', 'closing', 'closed'],
  negotiating: ['ready', 'reconnecting', 'closing', 'closed'],
  ready: ['reconnecting', 'closing', 'closed'],
  reconnecting: ['connecting', 'reconnecting', 'closed'],
  closing: ['closed'],
  closed: [],
};

/**
 * Commands whose success ends the connection: QEMU exits on `quit`, and
 * may hang up before its reply is out.  One of these in flight when the
 * peer hangs up (an end of stream, not a broken one) is answered by the
 * hang-up, with the reply QEMU would have sent, and the client does not
 * reconnect to a QEMU it told to exit.
 */
const ENDS_CONNECTION: ReadonlySet<string> = new Set(['quit']);

function causeOf(error: QmpConnectionError): { cause: unknown } {
  return { cause: error.cause ?? error };
}

export class QmpClient<E extends EventMap = EventMap, R extends string = string> implements QmpTransport {
  private state: State;
  /** The latest handshake's outcome (kept while reconnecting and once closed). */
  private session: Session | undefined;
  private readonly pending = new PendingCommands();
  private readonly hub: EventHub;
  private readonly closeListeners = new Set<(error: QmpConnectionError) => void>();
  /** With `reconnect`: the loop that restores the connection once lost. */
  private readonly reconnector: Reconnector | undefined;
  private nextId = 0;
  /** Event mark at the moment the latest command was written. */
  private sendMark = 0;
  /** Told of each command sent while observeSends runs. */
  private sendObserver: ((command: string, args: Record<string, unknown> | undefined) => void) | undefined;
  /** Reply timeout of a command that sets none. */
  private readonly commandTimeout: number;
  /** Time allowed for opening a stream and the handshake. */
  private readonly handshakeLimit: number;

  private constructor(target: ConnectTarget, stream: ByteStream, private readonly options: ConnectOptions, policy: ReconnectPolicy | undefined) {
    const onHandlerError =
      options.onHandlerError ??
      ((err: unknown) =>
        queueMicrotask(() => {
          throw err;
        }));
    this.commandTimeout = options.commandTimeout ?? options.timeout ?? DEFAULT_COMMAND_TIMEOUT;
    this.handshakeLimit = handshakeLimitOf(options);
    // The buffer keeps no more event text than one line may hold.
    this.hub = new EventHub({ events: options.eventBufferSize ?? DEFAULT_EVENT_BUFFER, bytes: this.maxLineLength }, onHandlerError);
    this.state = { name: 'connecting', link: this.link(stream), attempt: 0, greeting: deferred() };
    if (policy === undefined) return;
    this.reconnector = reconnector(policy, () => openStream(target, this.handshakeLimit), {
      wait: (error) => this.enter({ name: 'reconnecting', error }),
      waiting: () => this.state.name === 'reconnecting',
      resume: async (next, attempt) => {
        this.enter({ name: 'connecting', link: this.link(next), attempt, greeting: deferred() });
        await this.handshake();
        return this.greeting;
      },
      handshaking: () => this.state.name === 'connecting' || this.state.name === 'negotiating',
      end: (error) => this.enter({ name: 'closed', error }),
    });
  }

  /**
   * Connects, reads the greeting, negotiates capabilities, and (with
   * `checkSchema`) reads the QEMU's schema.  Given the bindings' registry
   * (`{ bindings: registry }`), the client's events are typed by the
   * bindings' event map and read as the bindings type them; without it,
   * events are plain JSON (`EventMap`).
   */
  static connect<E extends EventMap, R extends string>(
    target: ConnectTarget,
    options: ConnectOptions & { bindings: TypeRegistry<unknown, unknown, E, R> },
  ): Promise<QmpClient<E, R>>;
  static connect(target: ConnectTarget, options?: ConnectOptions): Promise<QmpClient>;
  static async connect(target: ConnectTarget, options: ConnectOptions = {}): Promise<QmpClient> {
    checkTimeout('connect', options.timeout);
    checkTimeout('connect: commandTimeout', options.commandTimeout);
    checkGivenRelease(options.release, options.bindings?.span);
    const policy = options.reconnect ? reconnectPolicy(options.reconnect, target) : undefined;
    const client = new QmpClient(target, await openStream(target, handshakeLimitOf(options)), options, policy);
    try {
      await client.handshake();
      return client;
    } catch (err) {
      if (!client.closed) client.enter({ name: 'closed', error: new QmpConnectionError(`connect failed: ${(err as Error).message}`, { cause: err }) });
      throw err;
    }
  }

  /** The server greeting (available once connect() resolved; after a reconnection, the new server's). */
  get greeting(): QmpGreeting {
    if (this.session === undefined) throw new QmpConnectionError('no greeting received');
    return this.session.greeting;
  }

  /**
   * Which release of a span the connected QEMU is taken to be: the one
   * given when connecting (`release`), else the newest release of the span
   * not newer than the greeting's version (see chooseRelease).  Undefined
   * before the first handshake.
   */
  releaseIn(span: SpanInfo): ReleaseChoice | undefined {
    return this.session?.release.in(span);
  }

  /** With bindings that span releases: the release of theirs the QEMU is
   *  taken to be (see releaseIn); else undefined. */
  get release(): R | undefined {
    const span = this.options.bindings?.span;
    return span === undefined ? undefined : (this.releaseIn(span)?.release as R | undefined);
  }

  /** Capabilities enabled by negotiation. */
  get capabilities(): readonly string[] {
    return this.session?.capabilities ?? [];
  }

  /** Where the connection is: `ready` while commands flow; `reconnecting`
   *  (and the handshake states) after a loss with `reconnect` on; `closing`,
   *  `closed` for good. */
  get connectionState(): ConnectionState {
    return this.state.name;
  }

  /** Closed for good (close() was called, the connection was lost without
   *  `reconnect`, or reconnecting gave up). */
  get closed(): boolean {
    return this.state.name === 'closing' || this.state.name === 'closed';
  }

  /** The bindings' registry the client was connected with, if any. */
  get bindings(): TypeRegistry<unknown, unknown, E> | undefined {
    return this.options.bindings as TypeRegistry<unknown, unknown, E> | undefined;
  }

  /**
   * What the bindings and the connected QEMU disagree on (with the
   * `bindings` and `checkSchema` options; else undefined).  Computed on
   * first use.
   */
  get schemaDrift(): SchemaDrift | undefined {
    const bindings = this.options.bindings;
    return bindings === undefined ? undefined : this.session?.schema?.driftFrom(bindings);
  }

  /** How many commands are waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a command and resolves with its reply's `return` (rejects with
   * QmpError for an error reply).  Sent only while `ready`: closed, it
   * rejects with QmpConnectionError (`connection is closed`); while
   * reconnecting, with QmpConnectionError (`not sent: reconnecting`).  A
   * command in flight when the connection ends rejects with
   * QmpOutcomeUnknownError.
   */
  execute(command: string, args?: Record<string, unknown>, options: ExecuteOptions = {}): Promise<unknown> {
    const s = this.state;
    switch (s.name) {
      case 'ready':
        return this.send(s.link, command, args, options);
      case 'closing':
      case 'closed':
        return Promise.reject(new QmpConnectionError(`${command}: connection is closed`, { cause: s.error }));
      default:
        // Only a reconnection is ever seen connecting or negotiating: connect() resolves once ready.
        return Promise.reject(new QmpConnectionError(`${command}: not sent: reconnecting`));
    }
  }

  /**
   * Runs `fn` and tells `seen` of each command this client sends until it
   * returns (its synchronous part: up to its first `await`).  The job
   * helpers learn so which job the command they are given starts.
   */
  observeSends<T>(fn: () => T, seen: (command: string, args: Record<string, unknown> | undefined) => void): T {
    const outer = this.sendObserver;
    this.sendObserver =
      outer === undefined
        ? seen
        : (command, args) => {
            outer(command, args);
            seen(command, args);
          };
    try {
      return fn();
    } finally {
      this.sendObserver = outer;
    }
  }

  on(name: '*', handler: (event: AnyEvent<E>) => void): this;
  on<K extends keyof E & string>(name: K, handler: (event: QmpEvent<K, E[K]>) => void): this;
  on(name: string, handler: (event: never) => void): this {
    this.hub.on(name, handler as (event: QmpEvent) => void);
    return this;
  }

  once(name: '*', handler: (event: AnyEvent<E>) => void): this;
  once<K extends keyof E & string>(name: K, handler: (event: QmpEvent<K, E[K]>) => void): this;
  once(name: string, handler: (event: never) => void): this {
    this.hub.on(name, handler as (event: QmpEvent) => void, true);
    return this;
  }

  off(name: '*', handler: (event: AnyEvent<E>) => void): this;
  off<K extends keyof E & string>(name: K, handler: (event: QmpEvent<K, E[K]>) => void): this;
  off(name: string, handler: (event: never) => void): this {
    this.hub.off(name, handler as (event: QmpEvent) => void);
    return this;
  }

  /** Every event from now on; the iterator ends when the connection closes (not while it reconnects). */
  events(): AsyncIterableIterator<AnyEvent<E>> {
    return this.hub.events() as AsyncIterableIterator<AnyEvent<E>>;
  }

  /** Resolves with the first matching event; see WaitForOptions.since for which buffered events count. */
  waitFor<K extends keyof E & string>(
    name: K,
    predicate?: (event: QmpEvent<K, E[K]>) => boolean,
    options: WaitForOptions = {},
  ): Promise<QmpEvent<K, E[K]>> {
    const since = options.since === 'now' ? this.hub.lastSeq : (options.since ?? this.sendMark);
    return this.hub.waitFor(name, predicate as ((event: QmpEvent) => boolean) | undefined, {
      since,
      timeout: options.timeout,
      signal: options.signal,
    }) as Promise<QmpEvent<K, E[K]>>;
  }

  /** Sequence number of the newest event received so far (0 if none). */
  eventMark(): number {
    return this.hub.lastSeq;
  }

  /** Sequence number of a received event object, for `waitFor({ since })`. */
  markOf(event: QmpEvent): number | undefined {
    return this.hub.seqOf(event);
  }

  /** Called once with the error that ended the connection for good; returns an unsubscriber. */
  onClose(listener: (error: QmpConnectionError) => void): () => void {
    const s = this.state;
    if (s.name === 'closing' || s.name === 'closed') {
      queueMicrotask(() => listener(s.error));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** With `reconnect`: called on each loss, failed attempt, reconnection and giving up; returns an unsubscriber. */
  onReconnect(listener: (event: ReconnectEvent) => void): () => void {
    // Without `reconnect` there is nothing to tell.
    return this.reconnector?.listen(listener) ?? (() => {});
  }

  /**
   * Ends the connection for good; pending commands reject with
   * QmpOutcomeUnknownError, waiters with QmpConnectionError.  Settles once
   * the peer has hung up, or at most a second later.
   */
  close(): Promise<void> {
    const s = this.state;
    switch (s.name) {
      case 'closed':
        return Promise.resolve();
      case 'closing':
        return s.done;
      case 'reconnecting':
        this.enter({ name: 'closed', error: new QmpConnectionError('connection closed by client') });
        return Promise.resolve();
      case 'connecting':
      case 'negotiating':
      case 'ready': {
        const error = new QmpConnectionError('connection closed by client');
        const done = s.link.end().then(() => {
          if (this.state.name === 'closing') this.enter({ name: 'closed', error });
        });
        this.enter({ name: 'closing', link: s.link, error, done });
        return done;
      }
    }
  }

  /**
   * The one transition function.  What each target state implies: the
   * greeting awaited while connecting is settled on leaving `connecting`;
   * leaving a connection behind (for `reconnecting`, `closing`, `closed`)
   * rejects the commands in flight, whose outcome is unknown; ending for
   * good (`closing`, or `closed` not through `closing`) also ends every
   * waiter and iterator and tells the close listeners.
   */
  private enter(next: State): void {
    const from = this.state;
    if (!NEXT[from.name].includes(next.name)) throw new Error(`QmpClient: no transition from ${from.name} to ${next.name}`);
    this.state = next;
    const error = 'error' in next ? next.error : undefined;
    if (from.name === 'connecting') {
      if (next.name === 'negotiating') from.greeting.resolve(next.greeting);
      else from.greeting.reject(error);
    }
    if (next.name === 'ready') this.session = next.session;
    if (error === undefined || from.name === 'closing') return;
    if (from.name === 'reconnecting') this.reconnector!.cancel();
    else if ('link' in from && next.name !== 'closing') from.link.destroy();
    this.pending.rejectAll((command) => new QmpOutcomeUnknownError(command, error.message, causeOf(error)));
    if (next.name === 'reconnecting') return;
    this.hub.close(error);
    for (const listener of [...this.closeListeners]) listener(error);
    this.closeListeners.clear();
  }

  private link(stream: ByteStream): Link {
    return new Link(stream, this.maxLineLength, {
      line: (text) => this.onLine(text),
      oversized: (excerpt) => this.report(new QmpProtocolError('oversized-line', 'line longer than maxLineLength skipped', excerpt)),
      lost: (message, cause, unfinished, peerEnded) => {
        if (unfinished !== undefined) {
          this.report(new QmpProtocolError('incomplete-line', `${message} in the middle of a message`, unfinished));
          message = `${message} in the middle of a message`;
        }
        this.lost(new QmpConnectionError(message, cause === undefined ? undefined : { cause }), peerEnded && unfinished === undefined);
      },
    });
  }

  private get maxLineLength(): number {
    return this.options.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  /** Greeting, capabilities, schema: from `connecting` to `ready`. */
  private async handshake(): Promise<void> {
    const limit = this.handshakeLimit;
    const greeting = await this.awaitGreeting(limit);
    const link = this.negotiating();
    const capabilities = (this.options.capabilities ?? []).filter((c) => greeting.capabilities.includes(c));
    await this.send(link, 'qmp_capabilities', capabilities.length > 0 ? { enable: capabilities } : undefined, { timeout: limit });
    const check = this.options.checkSchema;
    const schema = check ? await startSchemaCheck(greeting, check, () => this.send(link, 'query-qmp-schema', undefined, { timeout: limit })) : undefined;
    const release = new ConnectedRelease(greeting, this.options.release);
    // The link may have gone while another connection read the schema for this one.
    this.enter({ name: 'ready', link: this.negotiating(), session: { greeting, capabilities, schema, release } });
  }

  /** The greeting the handshake starts with (its state is `connecting`). */
  private awaitGreeting(limit: number): Promise<QmpGreeting> {
    const { greeting } = this.state as State & { name: 'connecting' };
    const dispose = armDeadline('greeting', { timeout: limit }, (err) => greeting.reject(err));
    return greeting.promise.finally(dispose);
  }

  /** The link of the handshake under way; else why there is none. */
  private negotiating(): Link {
    const s = this.state;
    if (s.name === 'negotiating') return s.link;
    throw 'error' in s ? s.error : new QmpConnectionError(`connection lost during the handshake (${s.name})`);
  }

  /** The connection went without close(): reconnect, or end for good. */
  private lost(error: QmpConnectionError, peerEnded: boolean): void {
    const s = this.state;
    if (s.name === 'closing' || s.name === 'closed' || s.name === 'reconnecting') return;
    // QEMU's reply to `quit` is an empty object (ENDS_CONNECTION says why).
    const toldToEnd = peerEnded && s.name === 'ready' && this.pending.resolveNamed(ENDS_CONNECTION, {});
    // The first connection's handshake fails connect(); a reconnection's is retried.
    const made = s.name === 'ready' ? 0 : s.attempt;
    if (this.reconnector === undefined || toldToEnd || (s.name !== 'ready' && made === 0)) return this.enter({ name: 'closed', error });
    this.reconnector.retry(made, error);
  }

  /** Writes a command on `link` (the caller knows the state allows it). */
  private send(link: Link, command: string, args: Record<string, unknown> | undefined, options: ExecuteOptions): Promise<unknown> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const id = ++this.nextId;
    let line: string;
    try {
      this.admit(command, args, options);
      line = encodeCommand(command, args, id, options.oob === true);
    } catch (err) {
      return Promise.reject(err);
    }
    this.sendObserver?.(command, args);
    this.sendMark = this.hub.lastSeq;
    return traceCommand(command, id, args, options.noReply === true, () => {
      if (options.noReply) {
        this.pending.addNoReply(id);
        return new Promise<undefined>((resolve, reject) => {
          link.write(line, (err) =>
            err ? reject(new QmpConnectionError(`${command}: write failed: ${err.message}`, { cause: err })) : resolve(undefined),
          );
        });
      }
      const reply = this.pending.add(id, command, { timeout: options.timeout ?? this.commandTimeout, signal: options.signal });
      link.write(line);
      return reply;
    });
  }

  /**
   * The one place a call is checked before it is written: a time limit
   * that is one, and once ready, the release of the bindings' span (a
   * command it lacks) and, with `checkSchema`, the connected QEMU's
   * schema.  Throws what the call is rejected with.
   */
  private admit(command: string, args: Record<string, unknown> | undefined, options: ExecuteOptions): void {
    checkTimeout(command, options.timeout);
    if (this.state.name !== 'ready' || options.unchecked) return;
    const { release, schema } = this.state.session;
    release.admit(command, this.options.bindings);
    schema?.admit(command, args);
  }

  /** The position in the bindings' span of the connected release (-1: none, or no span). */
  private releaseIndex(): number {
    return this.session?.release.indexIn(this.options.bindings) ?? -1;
  }

  private onLine(text: string): void {
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = parseQmpJson(text);
    } catch (err) {
      if (err instanceof JsonNumberRangeError || err instanceof JsonNestingError) this.unreadable(err, text);
      else this.report(new QmpProtocolError('malformed-json', 'malformed JSON line skipped', text, { cause: err }));
      return;
    }
    const message = classify(parsed);
    switch (message.kind) {
      case 'return':
        this.answer(message.id, text, () => ({ value: message.value }));
        return;
      case 'error':
        if (message.id === undefined) {
          // The server could not read our request far enough to find its id.
          this.report(new QmpProtocolError('reply-without-id', `error reply without id: ${message.desc}`, text));
          return;
        }
        this.answer(message.id, text, (command) => ({ error: new QmpError(command, message.errorClass, message.desc) }));
        return;
      case 'event': {
        const problem = readEventData(this.options.bindings, message.event, this.releaseIndex());
        if (problem === undefined) this.hub.dispatch(message.event, text.length);
        else this.report(new QmpProtocolError(problem.reason, `${problem.message}: event skipped`, text, { cause: problem }));
        return;
      }
      case 'greeting':
        if (this.state.name === 'connecting') {
          this.enter({ name: 'negotiating', link: this.state.link, attempt: this.state.attempt, greeting: message.greeting });
          return;
        }
        break;
    }
    this.report(new QmpProtocolError('unexpected-message', 'unrecognised message skipped', text));
  }

  /** Settles the command a reply answers, or reports why it answers none. */
  private answer(id: unknown, text: string, outcome: (command: string) => { value: unknown } | { error: unknown }): void {
    if (id === undefined) {
      this.report(new QmpProtocolError('reply-without-id', 'reply without id skipped', text));
      return;
    }
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      // Only integer ids are ever sent; a bigint is an integer too large to be one.
      const [reason, what] = typeof id === 'bigint' ? (['unknown-id', 'never sent'] as const) : (['malformed-id', 'not an integer'] as const);
      this.report(new QmpProtocolError(reason, `reply with id ${describeId(id)} (${what}) skipped`, text));
      return;
    }
    const match = this.pending.match(id);
    switch (match.kind) {
      case 'pending':
        match.settle(outcome(match.command));
        return;
      case 'late':
        this.report(new QmpProtocolError('late-reply', `reply to id ${id} skipped: its command had timed out or been aborted (or expected no reply)`, text));
        return;
      case 'duplicate':
        this.report(new QmpProtocolError('duplicate-id', `second reply to id ${id} skipped`, text));
        return;
      case 'never-sent':
        this.report(new QmpProtocolError('unknown-id', `reply with id ${id} (never sent) skipped`, text));
        return;
    }
  }

  /** A message no reader can take (a number beyond a double, nesting too deep): reported, and fatal to the command it answers. */
  private unreadable(err: JsonNumberRangeError | JsonNestingError, text: string): void {
    const reason = err instanceof JsonNestingError ? 'too-deep' : 'number-out-of-range';
    const error = new QmpProtocolError(reason, `${err.message}: message skipped`, text, { cause: err });
    this.report(error);
    const message = classify(err.lenient);
    if ((message.kind === 'return' || message.kind === 'error') && typeof message.id === 'number') {
      const match = this.pending.match(message.id);
      if (match.kind === 'pending') match.settle({ error });
    }
  }

  private report(error: QmpProtocolError): void {
    this.options.onProtocolError?.(error);
  }
}

function describeId(id: unknown): string {
  if (typeof id === 'string') return JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}...` : id);
  if (id === null || typeof id !== 'object') return String(id);
  return Array.isArray(id) ? 'an array' : 'an object';
}
