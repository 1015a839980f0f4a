/**
 * ReplayPeer: serves a recording (recording.ts) to the program under test.
 * The k-th connection to it replays the recording's k-th connection: what
 * the server sent goes out in the recorded order, and each request the
 * program sends must equal the next recorded one, ids aside (the reply
 * carries the program's id).  A server message goes out once the requests
 * recorded before it have arrived (a reply, once its own request has), and
 * one message per turn of the event loop, so the program sees events and
 * replies interleaved as they were, each read apart.
 *
 * A request that differs is answered with an error naming the
 * difference, the connection stops replaying, and the test is told
 * (ReplayMismatchError, through `onError`); `assertReplayed()` also fails
 * when the program stopped before sending every recorded request.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { stringifyQmpJson } from '../json.js';
import { PeerConnection, type ConnectionListener } from './connection.js';
import { ReplayMismatchError, type ReplayDifference } from './errors.js';
import { connectionNumbers, parseRecording, type RecordedEntry, type Recording } from './recording.js';
import { PeerServer } from './server.js';
import { isPlainObject } from './values.js';

export interface ReplayOptions {
  /** Told when the program diverges from the recording (default: thrown
   *  from a microtask, so the test run fails loudly). */
  readonly onError?: (error: ReplayMismatchError) => void;
  /** `asap` (default): each server message as soon as it may go;
   *  `recorded`: as long after its gate as it was recorded. */
  readonly timing?: 'asap' | 'recorded';
  readonly maxMessageBytes?: number;
}


/** A value as shown in a difference: short. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = stringifyQmpJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Every place where `sent` differs from `recorded`. */
export function differences(recorded: unknown, sent: unknown, path = ''): ReplayDifference[] {
  if (isPlainObject(recorded) && isPlainObject(sent)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(sent)])];
    return keys.flatMap((k) => differences(recorded[k], sent[k], childPath(path, k)));
  }
  if (Array.isArray(recorded) && Array.isArray(sent)) {
    const out: ReplayDifference[] = [];
    for (let i = 0; i < Math.max(recorded.length, sent.length); i++) out.push(...differences(recorded[i], sent[i], `${path}[${i}]`));
    return out;
  }
  return sameValue(recorded, sent) ? [] : [{ path, recorded, sent }];
}

const isNumeric = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

/** Equal scalars; a number and a bigint of the same integer are equal (the
 *  JSON is the same). */
function sameValue(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b) && typeof a !== typeof b) return String(a) === String(b);
  return Object.is(a, b);
}

/** A request without its id, for comparing. */
function withoutId(message: unknown): unknown {
  if (!isPlainObject(message)) return message;
  const { id: _id, ...rest } = message;
  return rest;
}

function commandOf(message: unknown): string {
  if (!isPlainObject(message)) return 'no command';
  const name = message.execute ?? message['exec-oob'];
  return typeof name === 'string' ? name : 'no command';
}

interface Step {
  readonly entry: RecordedEntry;
  /** How many client messages must have arrived before it goes out. */
  readonly gate: number;
}

class ReplaySession implements ConnectionListener {
  private connection!: PeerConnection;
  /** The recorded server messages and closings, with their gates. */
  private readonly out: Step[] = [];
  /** The recorded requests, in order. */
  private readonly requests: { readonly message: unknown; readonly ms: number }[] = [];
  /** Recorded request id (as JSON) -> the program's id for it. */
  private readonly ids = new Map<string, { id: unknown; hasId: boolean }>();
  private arrived = 0;
  private next = 0;
  private sending = false;
  private diverged: ReplayMismatchError | undefined;
  /** When (in real time) the latest request arrived, for recorded timing. */
  private gateTimes: number[] = [];

  constructor(
    readonly conn: number,
    entries: readonly RecordedEntry[],
    private readonly peer: ReplayPeer,
    private readonly timing: 'asap' | 'recorded',
  ) {
    const requestIndex = new Map<string, number>();
    for (const e of entries) {
      if ('client' in e) {
        this.requests.push({ message: e.client, ms: e.ms });
        if (isPlainObject(e.client) && Object.hasOwn(e.client, 'id')) requestIndex.set(stringifyQmpJson(e.client.id), this.requests.length);
      } else if ('server' in e || 'closed' in e) {
        let gate = this.requests.length;
        // A reply goes once its own request has come, not later ones.
        const id = 'server' in e && isPlainObject(e.server) && ('return' in e.server || 'error' in e.server) && Object.hasOwn(e.server, 'id') ? e.server.id : undefined;
        if (id !== undefined) gate = Math.min(gate, requestIndex.get(stringifyQmpJson(id)) ?? gate);
        if ('closed' in e && e.closed === 'client') continue;
        this.out.push({ entry: e, gate });
      }
    }
  }

  /** Whether every recorded request arrived. */
  get complete(): boolean {
    return this.arrived >= this.requests.length;
  }

  get divergence(): ReplayMismatchError | undefined {
    return this.diverged;
  }

  /** What is left, for the message when the program stopped early. */
  describeRest(): string {
    const rest = this.requests.length - this.arrived;
    const nextOne = this.requests[this.arrived];
    return `connection ${this.conn}: the program sent ${this.arrived} of the ${this.requests.length} recorded requests (${rest} left); the next would have been ${show(nextOne?.message)}`;
  }

  start(connection: PeerConnection): void {
    this.connection = connection;
    this.gateTimes[0] = performance.now();
    this.flush();
  }

  message(value: unknown): void {
    if (this.diverged) return this.refuse(value, `replay: the program already diverged from the recording (${this.diverged.message.split('\n')[0]})`);
    const index = this.arrived + 1;
    const expected = this.requests[this.arrived];
    if (expected === undefined) {
      return this.diverge(value, index, [{ path: '', recorded: undefined, sent: value }], `request ${index} (${commandOf(value)}): the recording ends before it`);
    }
    const diff = differences(withoutId(expected.message), withoutId(value));
    if (diff.length > 0) return this.diverge(value, index, diff, `request ${index} (${commandOf(expected.message)})`);
    this.arrived = index;
    this.gateTimes[index] = performance.now();
    if (isPlainObject(expected.message) && Object.hasOwn(expected.message, 'id')) {
      this.ids.set(stringifyQmpJson(expected.message.id), { id: isPlainObject(value) ? value.id : undefined, hasId: isPlainObject(value) && Object.hasOwn(value, 'id') });
    }
    this.flush();
  }

  unreadable(reason: string): void {
    this.diverge(undefined, this.arrived + 1, [{ path: '', recorded: this.requests[this.arrived]?.message, sent: `(unreadable: ${reason})` }], `request ${this.arrived + 1}`);
  }

  closed(): void {
    this.peer.sessionClosed(this);
  }

  private diverge(value: unknown, index: number, diff: readonly ReplayDifference[], what: string): void {
    const lines = diff.map((d) => `  ${d.path === '' ? '(the message)' : d.path}: recorded ${show(d.recorded)}, sent ${show(d.sent)}`);
    const error = new ReplayMismatchError(`replay: connection ${this.conn}, ${what} differs from the recording:\n${lines.join('\n')}`, this.conn, index, diff);
    this.diverged = error;
    this.peer.report(error);
    this.refuse(value, error.message.replace(/\n\s*/g, ' '));
  }

  /** Answers a request the recording cannot answer with an error. */
  private refuse(value: unknown, desc: string): void {
    const hasId = isPlainObject(value) && Object.hasOwn(value, 'id');
    const reply: Record<string, unknown> = { error: { class: 'GenericError', desc } };
    if (hasId) reply.id = (value as Record<string, unknown>).id;
    this.connection.sendText(stringifyQmpJson(reply));
  }

  /** Sends every server message whose gate is open, in order. */
  private flush(): void {
    if (this.sending || this.diverged) return;
    const step = this.out[this.next];
    if (step === undefined || step.gate > this.arrived) return;
    const delay = this.timing === 'recorded' ? this.delayOf(step) : 0;
    if (delay > 0) {
      this.sending = true;
      setTimeout(() => {
        this.sending = false;
        this.send(step);
      }, delay).unref?.();
      return;
    }
    this.send(step);
  }

  private send(step: Step): void {
    if (!this.connection.open) return;
    this.next++;
    const e = step.entry;
    if ('closed' in e) {
      this.connection.close();
      return;
    }
    if ('server' in e) this.connection.sendText(stringifyQmpJson(this.withProgramId(e.server)));
    // The next message a turn of the event loop later: the program reacts to
    // this one (a reply's continuation runs, the request it sends leaves)
    // before it reads the next, as it did when QEMU's messages came apart.
    // Sent at once, a reply and the events recorded after it arrive in one
    // read, and a program that asks something after the reply unless an
    // event has told it (a job follower listing its job) asks nothing.
    this.sending = true;
    setImmediate(() => {
      this.sending = false;
      this.flush();
    });
  }

  /** How long after its gate opened a message went out in the recording. */
  private delayOf(step: Step): number {
    const gateMs = step.gate === 0 ? 0 : (this.requests[step.gate - 1]?.ms ?? 0);
    const since = performance.now() - (this.gateTimes[step.gate] ?? performance.now());
    return Math.max(0, step.entry.ms - gateMs - since);
  }

  /** A recorded reply with the program's id for its request. */
  private withProgramId(message: unknown): unknown {
    if (!isPlainObject(message) || !Object.hasOwn(message, 'id') || !('return' in message || 'error' in message)) return message;
    const mapped = this.ids.get(stringifyQmpJson(message.id));
    if (mapped === undefined) return message;
    const { id: _recorded, ...rest } = message;
    return mapped.hasId ? { ...rest, id: mapped.id } : rest;
  }
}

export class ReplayPeer extends PeerServer {
  readonly recording: Recording;
  /** Every divergence so far. */
  readonly mismatches: ReplayMismatchError[] = [];
  private readonly sessions: ReplaySession[] = [];
  private readonly conns: number[];

  constructor(
    recording: Recording | string,
    private readonly options: ReplayOptions = {},
  ) {
    super();
    this.recording = typeof recording === 'string' ? parseRecording(recording) : recording;
    this.conns = connectionNumbers(this.recording);
  }

  /**
   * Throws the first divergence, or a ReplayMismatchError when a recorded
   * connection was not replayed to its end.
   */
  assertReplayed(): void {
    if (this.mismatches.length > 0) throw this.mismatches[0]!;
    for (const conn of this.conns) {
      const session = this.sessions.find((s) => s.conn === conn);
      if (session === undefined) {
        throw new ReplayMismatchError(`replay: connection ${conn} of the recording was never opened (${this.sessions.length} were)`, conn, 0, []);
      }
      if (!session.complete) throw new ReplayMismatchError(`replay: ${session.describeRest()}`, conn, 0, []);
    }
  }

  /** @internal */
  report(error: ReplayMismatchError): void {
    this.mismatches.push(error);
    (this.options.onError ?? ((e) => queueMicrotask(() => {
      throw e;
    })))(error);
  }

  /** @internal */
  sessionClosed(_session: ReplaySession): void {}

  protected accept(stream: Socket | Duplex, number: number): void {
    const conn = this.conns[number - 1];
    if (conn === undefined) {
      const error = new ReplayMismatchError(`replay: connection ${number} opened, but the recording has only ${this.conns.length}`, number, 0, []);
      this.report(error);
      stream.destroy();
      return;
    }
    const session = new ReplaySession(conn, this.recording.entries.filter((e) => e.conn === conn), this, this.options.timing ?? 'asap');
    this.sessions.push(session);
    session.start(new PeerConnection(number, stream, this.options.maxMessageBytes ?? 64 * 1024 * 1024, session));
  }

  protected shutDown(): void {}
}
