/**
 * QMP client: one connection, many commands in flight (correlated by `id`),
 * events fanned out to handlers/iterators/waiters.
 */
import { armDeadline, checkTimeout } from './deadline.js';
import { compareSchemas, type SchemaDrift } from './drift.js';
import { QmpConnectionError, QmpError, QmpInexactIntegerError, QmpProtocolError } from './errors.js';
import { EventHub } from './event-hub.js';
import { JsonNumberRangeError, parseQmpJson } from './json.js';
import { LineSplitter } from './line-splitter.js';
import { PendingCommands } from './pending.js';
import type { QemuSchema } from './qemu-schema.js';
import { loadQemuSchema, qemuIdentity, QmpSchemaDriftError } from './schema-check.js';
import { noteSent } from './sent-commands.js';
import { chooseRelease, commandRefusal, type ReleaseChoice, type SpanInfo } from './span.js';
import type { AbortSignalLike, ByteStream } from './platform.js';
import { openStream } from './socket.js';
import type { ExecuteOptions, QmpTransport } from './transport.js';
import type { AnyEvent, ConnectOptions, ConnectTarget, EventMap, QmpEvent, QmpGreeting } from './types.js';
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
/** How long close() waits for the peer to hang up before destroying. */
const CLOSE_GRACE = 1_000;

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

export class QmpClient<E extends EventMap = EventMap, R extends string = string> implements QmpTransport {
  private readonly pending = new PendingCommands();
  private readonly hub: EventHub;
  private readonly splitter: LineSplitter;
  private readonly closeListeners = new Set<(error: QmpConnectionError) => void>();
  private nextId = 0;
  /** Event mark at the moment the latest command was written. */
  private sendMark = 0;
  private outgoing: string[] = [];
  private flushCallbacks: ((err?: Error | null) => void)[] = [];
  private flushScheduled = false;
  private closedError: QmpConnectionError | undefined;
  private greetingValue: QmpGreeting | undefined;
  private onGreeting: ((greeting: QmpGreeting) => void) | undefined;
  private enabled: string[] = [];
  /** Reply timeout of a command that sets none. */
  private readonly commandTimeout: number;
  /** The connected QEMU's schema, when the schema check is on. */
  private qemuSchema: QemuSchema | undefined;
  private drift: SchemaDrift | undefined;
  /** The release of each span asked about (bindings that span releases). */
  private readonly releases = new WeakMap<SpanInfo, ReleaseChoice>();

  private constructor(
    private readonly stream: ByteStream,
    private readonly options: ConnectOptions,
  ) {
    const onHandlerError =
      options.onHandlerError ??
      ((err: unknown) =>
        queueMicrotask(() => {
          throw err;
        }));
    const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.commandTimeout = options.commandTimeout ?? options.timeout ?? DEFAULT_COMMAND_TIMEOUT;
    // The buffer keeps no more event text than one line may hold.
    this.hub = new EventHub({ events: options.eventBufferSize ?? DEFAULT_EVENT_BUFFER, bytes: maxLineLength }, onHandlerError);
    this.splitter = new LineSplitter(maxLineLength, {
      line: (text) => this.onLine(text),
      oversized: (excerpt) =>
        this.report(new QmpProtocolError('oversized-line', 'line longer than maxLineLength skipped', excerpt)),
    });
    stream.on('data', (chunk) => {
      this.splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    });
    stream.on('error', (err) => this.peerEnded(`connection broken: ${err.message}`, err));
    stream.on('end', () => this.peerEnded('connection closed by peer'));
    stream.on('close', () => this.peerEnded('connection closed'));
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
    const limit = options.timeout !== undefined && options.timeout > 0 ? options.timeout : DEFAULT_HANDSHAKE_TIMEOUT;
    const stream = await openStream(target, limit);
    const client = new QmpClient(stream, options);
    try {
      const greeting = await client.awaitGreeting(limit);
      const span = options.bindings?.span;
      if (options.release !== undefined && (span === undefined || !span.releases.includes(options.release))) {
        throw new RangeError(`connect: release ${options.release} is not one of the bindings'${span ? ` (${span.releases.join(', ')})` : ' (they span no releases)'}`);
      }
      const wanted = (options.capabilities ?? []).filter((c) => greeting.capabilities.includes(c));
      await client.execute('qmp_capabilities', wanted.length > 0 ? { enable: wanted } : undefined, { timeout: limit });
      client.enabled = wanted;
      if (options.checkSchema) {
        const check = options.checkSchema === true ? {} : options.checkSchema;
        client.qemuSchema = await loadQemuSchema(greeting, check, () => client.execute('query-qmp-schema', undefined, { timeout: limit }));
      }
      return client;
    } catch (err) {
      stream.destroy();
      throw err;
    }
  }

  /** The server greeting (available once connect() resolved). */
  get greeting(): QmpGreeting {
    if (this.greetingValue === undefined) throw new QmpConnectionError('no greeting received');
    return this.greetingValue;
  }

  /**
   * Which release of a span the connected QEMU is taken to be: the one
   * given when connecting (`release`), else the newest release of the span
   * not newer than the greeting's version (see chooseRelease).
   */
  releaseIn(span: SpanInfo): ReleaseChoice | undefined {
    if (this.greetingValue === undefined) return undefined;
    let choice = this.releases.get(span);
    if (choice === undefined) {
      const qemu = qemuIdentity(this.greetingValue);
      const given = this.options.release;
      const index = given === undefined ? -1 : span.releases.indexOf(given);
      choice = index >= 0 ? { release: given, index, qemu, fit: 'chosen', note: undefined } : chooseRelease(span, this.greetingValue.version.qemu, qemu);
      this.releases.set(span, choice);
    }
    return choice;
  }

  /** With bindings that span releases: the release of theirs the QEMU is
   *  taken to be (see releaseIn); else undefined. */
  get release(): R | undefined {
    const span = this.options.bindings?.span;
    return span === undefined ? undefined : (this.releaseIn(span)?.release as R | undefined);
  }

  /** Capabilities enabled by negotiation. */
  get capabilities(): readonly string[] {
    return this.enabled;
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /**
   * What the bindings and the connected QEMU disagree on (with the
   * `bindings` and `checkSchema` options; else undefined).  Computed on
   * first use.
   */
  get schemaDrift(): SchemaDrift | undefined {
    if (this.drift === undefined && this.qemuSchema !== undefined && this.options.bindings !== undefined) {
      this.drift = compareSchemas(this.options.bindings, this.qemuSchema, qemuIdentity(this.greeting));
    }
    return this.drift;
  }

  /** How many commands are waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  execute(command: string, args?: Record<string, unknown>, options: ExecuteOptions = {}): Promise<unknown> {
    if (this.closedError !== undefined) {
      return Promise.reject(new QmpConnectionError(`${command}: connection is closed`, { cause: this.closedError }));
    }
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const id = ++this.nextId;
    let line: string;
    try {
      checkTimeout(command, options.timeout);
      this.checkAgainstQemu(command, args, options);
      line = encodeCommand(command, args, id, options.oob === true);
    } catch (err) {
      return Promise.reject(err);
    }
    noteSent(command, args);
    this.sendMark = this.hub.lastSeq;
    if (options.noReply) {
      this.pending.addNoReply(id);
      return new Promise<undefined>((resolve, reject) => {
        this.write(line, (err) =>
          err ? reject(new QmpConnectionError(`${command}: write failed: ${err.message}`, { cause: err })) : resolve(undefined),
        );
      });
    }
    const reply = this.pending.add(id, command, { timeout: options.timeout ?? this.commandTimeout, signal: options.signal });
    this.write(line);
    return reply;
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

  /** Every event from now on; the iterator ends when the connection closes. */
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

  /** Called once with the error that ended the connection; returns an unsubscriber. */
  onClose(listener: (error: QmpConnectionError) => void): () => void {
    if (this.closedError !== undefined) {
      const error = this.closedError;
      queueMicrotask(() => listener(error));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Ends the connection; pending commands and waiters reject with QmpConnectionError. */
  async close(): Promise<void> {
    if (this.closedError !== undefined) return;
    this.fail('connection closed by client', undefined, false);
    if (this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.stream.destroy(), CLOSE_GRACE);
      timer.unref();
      this.stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.stream.end();
    });
  }

  private awaitGreeting(limit: number): Promise<QmpGreeting> {
    return new Promise<QmpGreeting>((resolve, reject) => {
      const unsubscribe = this.onClose((err) => finish(() => reject(err)));
      const dispose = armDeadline('greeting', { timeout: limit }, (err) => finish(() => reject(err)));
      const finish = (fn: () => void): void => {
        unsubscribe();
        dispose();
        this.onGreeting = undefined;
        fn();
      };
      this.onGreeting = (greeting) => finish(() => resolve(greeting));
    });
  }

  private onLine(text: string): void {
    if (this.closedError !== undefined) return;
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = parseQmpJson(text);
    } catch (err) {
      if (err instanceof JsonNumberRangeError) this.unreadable(err, text);
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
        const event = this.readEvent(message.event, text);
        if (event !== undefined) this.hub.dispatch(event, text.length);
        return;
      }
      case 'greeting':
        if (this.onGreeting !== undefined && this.greetingValue === undefined) {
          this.greetingValue = message.greeting;
          this.onGreeting(message.greeting);
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
        // Its command timed out, was aborted or expects no reply: the caller has moved on.
        return;
      case 'duplicate':
        this.report(new QmpProtocolError('duplicate-id', `second reply to id ${id} skipped`, text));
        return;
      case 'never-sent':
        this.report(new QmpProtocolError('unknown-id', `reply with id ${id} (never sent) skipped`, text));
        return;
    }
  }

  /** Throws QmpSchemaDriftError when the connected QEMU would refuse the call. */
  private checkAgainstQemu(command: string, args: Record<string, unknown> | undefined, options: ExecuteOptions): void {
    if (options.unchecked) return;
    // Bindings that span releases: a command the connected release lacks
    // is refused, however it is sent (its arguments are checked where
    // they are validated, by the bindings' functions; a QEMU older than the
    // span, by those functions alone).
    const bindings = this.options.bindings;
    const span = bindings?.span;
    if (span !== undefined) {
      const choice = this.releaseIn(span);
      const info = bindings!.command(command);
      if (choice?.release !== undefined && info !== undefined) {
        const refusal = commandRefusal(command, info.releases, span, choice);
        if (refusal !== null) throw refusal;
      }
    }
    if (this.qemuSchema === undefined) return;
    const refusals = this.qemuSchema.refusals(command, args);
    if (refusals.length > 0) throw new QmpSchemaDriftError(command, qemuIdentity(this.greeting), refusals);
  }

  /** An event as the bindings type it; undefined (reported) when they cannot hold it. */
  private readEvent(event: QmpEvent, text: string): QmpEvent | undefined {
    const bindings = this.options.bindings;
    const type = bindings?.event(event.event);
    if (type === undefined || type === null) return event;
    try {
      const release = bindings!.span === undefined ? -1 : (this.releaseIn(bindings!.span)?.index ?? -1);
      bindings!.read(type, event.data, 'data', event.event, release);
      return event;
    } catch (err) {
      if (!(err instanceof QmpInexactIntegerError)) throw err;
      this.report(new QmpProtocolError('inexact-integer', `${err.message}: event skipped`, text, { cause: err }));
      return undefined;
    }
  }

  /** A message with a number no double holds: reported, and fatal to the command it answers. */
  private unreadable(err: JsonNumberRangeError, text: string): void {
    const error = new QmpProtocolError('number-out-of-range', `${err.message}: message skipped`, text, { cause: err });
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

  /**
   * The first write of a tick goes out at once (no added latency for lone
   * commands); further writes in the same tick are joined into one write.
   */
  private write(line: string, callback?: (err?: Error | null) => void): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
      this.outgoing.push(line, '\n');
      if (callback !== undefined) this.flushCallbacks.push(callback);
      this.flush(true);
      return;
    }
    this.outgoing.push(line, '\n');
    if (callback !== undefined) this.flushCallbacks.push(callback);
  }

  private flush(keepScheduled = false): void {
    if (!keepScheduled) this.flushScheduled = false;
    if (this.outgoing.length === 0) return;
    const data = this.outgoing.length === 2 ? this.outgoing[0]! + this.outgoing[1]! : this.outgoing.join('');
    const callbacks = this.flushCallbacks;
    this.outgoing = [];
    this.flushCallbacks = [];
    if (this.closedError !== undefined || this.stream.destroyed) {
      const err = this.closedError ?? new Error('stream destroyed');
      for (const cb of callbacks) cb(err);
      return;
    }
    this.stream.write(data, (err) => {
      for (const cb of callbacks) cb(err);
    });
  }

  /** The stream ended or broke; a message cut short is reported first. */
  private peerEnded(message: string, cause?: unknown): void {
    if (this.closedError !== undefined) return;
    const unfinished = this.splitter.unfinished();
    if (unfinished === undefined) return this.fail(message, cause);
    this.report(new QmpProtocolError('incomplete-line', `${message} in the middle of a message`, unfinished));
    this.fail(`${message} in the middle of a message`, cause);
  }

  /** Transitions to closed exactly once and rejects everything outstanding. */
  private fail(message: string, cause?: unknown, destroy = true): void {
    if (this.closedError !== undefined) return;
    const error = new QmpConnectionError(message, cause === undefined ? undefined : { cause });
    this.closedError = error;
    this.pending.rejectAll((command) => new QmpConnectionError(`${command}: ${message}`, { cause: cause ?? error }));
    this.hub.close(error);
    for (const listener of [...this.closeListeners]) listener(error);
    this.closeListeners.clear();
    if (destroy) this.stream.destroy();
  }
}

function describeId(id: unknown): string {
  if (typeof id === 'string') return JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}...` : id);
  if (id === null || typeof id !== 'object') return String(id);
  return Array.isArray(id) ? 'an array' : 'an object';
}
