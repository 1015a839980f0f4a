/**
 * QMP on one connection, as QEMU's monitor speaks it: the greeting, then
 * capabilities negotiation (only `qmp_capabilities` exists, events are
 * held back), then command mode.  Each request is checked in the order
 * QEMU's dispatcher checks it (qapi/qmp-dispatch.c):
 *
 * 1. it must be a JSON object (else GenericError, no id: none was read);
 * 2. its members: `execute` (or `exec-oob`, once the `oob` capability is
 *    on) a string, not both; `arguments` an object; `id` anything; no
 *    other member; `execute` present (else GenericError, with the id);
 * 3. the command must exist (else CommandNotFound; before negotiation the
 *    description asks for `qmp_capabilities`);
 * 4. `exec-oob` only for a command that allows it (GenericError);
 * 5. the arguments, as QEMU's input visitor reads them (verdict.ts);
 * 6. the command runs (a handler, or what the peer answers itself).
 *
 * In-band requests run one at a time in arrival order; `exec-oob` ones
 * run at once, overtaking them.  Faults scripted by the test (delay,
 * drop, malformed line, silence) apply to the answer of the request they
 * match.
 */
import { stringifyQmpJson } from '../json.js';
import type { CommandInfo } from '../tables.js';
import type { ConnectionListener, PeerConnection } from './connection.js';
import type { Fault } from './faults.js';
import { argumentRefusal, type TypeNamer } from './verdict.js';
import { isPlainObject } from './values.js';

/** How a request is answered: a return value (as JSON text, or a value),
 *  an error, or nothing (a command without reply). */
export type Answer =
  | { readonly return: unknown }
  | { readonly returnText: string }
  | { readonly error: { readonly class: string; readonly desc: string } }
  | null;

/** A request that named a command, as the session passes it on. */
export interface Request {
  readonly command: string;
  readonly info: CommandInfo;
  /** The `arguments` member, or an empty object when it had none. */
  readonly args: Record<string, unknown>;
  readonly hasArguments: boolean;
  readonly id: unknown;
  readonly oob: boolean;
}

/** What a session needs of the peer. */
export interface SessionHost {
  readonly greetingText: string;
  readonly offeredCapabilities: readonly string[];
  /** The QAPI name of a type, where the schema tells (for messages). */
  readonly typeName: TypeNamer;
  /** The commands of command mode (and `qmp_capabilities` before it). */
  command(name: string): CommandInfo | undefined;
  /** For bindings that span releases, the position of the release the peer
   *  plays (its arguments are checked as that release takes them); -1 else. */
  readonly release: number;
  /** Runs a command whose arguments are valid. */
  run(request: Request, session: ProtocolSession): Promise<Answer>;
  /** The fault scripted for this command, consumed. */
  takeFault(command: string): Fault | undefined;
  /** Whether the test told the peer to stop answering. */
  silent(): boolean;
  /** Every message received, for the test's assertions. */
  noteMessage(session: ProtocolSession, message: unknown): void;
  /** A request that named a command; `answered` is called with its answer. */
  noteRequest(session: ProtocolSession, request: Omit<Request, 'info'> & { info?: CommandInfo }): (answer: Answer) => void;
  /** The session entered command mode: it receives events from now on. */
  ready(session: ProtocolSession): void;
  closed(session: ProtocolSession): void;
  /** A request blocked by silence or a hanging fault: waits until the test lets it go. */
  stall(): Promise<void>;
}

type Envelope = { readonly id: unknown; readonly refusal: string } | (Omit<Request, 'info'> & { readonly refusal?: undefined });


const NEGOTIATION_DESC = "Expecting capabilities negotiation with 'qmp_capabilities'";

export class ProtocolSession implements ConnectionListener {
  private connection!: PeerConnection;
  private negotiated = false;
  private enabledCapabilities: string[] = [];
  private readonly queue: unknown[] = [];
  private busy = false;

  constructor(private readonly host: SessionHost) {}

  /** Binds the session to its connection and greets the client. */
  start(connection: PeerConnection): void {
    this.connection = connection;
    connection.sendText(this.host.greetingText);
  }

  get number(): number {
    return this.connection.number;
  }

  get open(): boolean {
    return this.connection.open;
  }

  /** The capabilities `qmp_capabilities` enabled. */
  get capabilities(): readonly string[] {
    return this.enabledCapabilities;
  }

  /** Sends a message's text (an event, a raw line). */
  sendText(text: string): void {
    this.connection.sendText(text);
  }

  drop(): void {
    this.connection.drop();
  }

  close(): void {
    this.connection.close();
  }

  message(value: unknown): void {
    this.host.noteMessage(this, value);
    // QEMU runs a request for out-of-band execution at once, whether or
    // not the capability is on (its checks then refuse it).
    if (isPlainObject(value) && Object.hasOwn(value, 'exec-oob') && !Object.hasOwn(value, 'execute')) {
      void this.handle(value);
      return;
    }
    this.queue.push(value);
    this.pump();
  }

  unreadable(reason: string): void {
    // No id could be read: the error goes out without one, in turn.
    this.queue.push(new Unreadable(reason));
    this.pump();
  }

  closed(): void {
    this.queue.length = 0;
    this.host.closed(this);
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.busy = true;
    void this.handle(next).then(() => {
      this.busy = false;
      this.pump();
    });
  }

  private async handle(value: unknown): Promise<void> {
    if (value instanceof Unreadable) return this.write(errorText(undefined, false, 'GenericError', `JSON parse error, ${value.reason}`));
    const envelope = this.envelope(value);
    if (envelope.refusal !== undefined) {
      return this.write(errorText(envelope.id, isPlainObject(value) && Object.hasOwn(value, 'id'), 'GenericError', envelope.refusal));
    }
    const hasId = isPlainObject(value) && Object.hasOwn(value, 'id');
    const info = this.host.command(envelope.command);
    const visible = info !== undefined && (this.negotiated || envelope.command === 'qmp_capabilities');
    const answered = this.host.noteRequest(this, visible ? { ...envelope, info } : envelope);
    const fault = this.host.takeFault(envelope.command);
    if (fault === 'drop') {
      this.connection.drop();
      return;
    }
    if (fault === 'hang' || this.host.silent()) return this.host.stall();
    const answer = visible ? await this.answer({ ...envelope, info }) : notFound(envelope.command, this.negotiated);
    answered(answer);
    if (typeof fault === 'object' && 'delay' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delay));
    if (this.host.silent()) return this.host.stall();
    if (typeof fault === 'object' && 'malformed' in fault) {
      this.connection.sendText(fault.malformed);
      if (fault.then !== 'reply') return;
    }
    if (answer !== null) this.write(answerText(answer, envelope.id, hasId));
  }

  /** Step 2: the request's own members. */
  private envelope(value: unknown): Envelope {
    if (!isPlainObject(value)) return { id: undefined, refusal: 'QMP input must be a JSON object' };
    const oobOn = this.enabledCapabilities.includes('oob');
    let execKey: string | undefined;
    for (const key of Object.keys(value)) {
      const member = value[key];
      if (key === 'execute' || (key === 'exec-oob' && oobOn)) {
        if (typeof member !== 'string') return { id: value.id, refusal: `QMP input member '${key}' must be a string` };
        if (execKey !== undefined) return { id: value.id, refusal: `QMP input member '${key}' clashes with '${execKey}'` };
        execKey = key;
      } else if (key === 'arguments') {
        if (!isPlainObject(member)) return { id: value.id, refusal: "QMP input member 'arguments' must be an object" };
      } else if (key !== 'id') {
        return { id: value.id, refusal: `QMP input member '${key}' is unexpected` };
      }
    }
    if (execKey === undefined) return { id: value.id, refusal: "QMP input lacks member 'execute'" };
    const hasArguments = Object.hasOwn(value, 'arguments');
    return {
      command: value[execKey] as string,
      args: hasArguments ? (value.arguments as Record<string, unknown>) : {},
      hasArguments,
      id: value.id,
      oob: execKey === 'exec-oob',
    };
  }

  /** Steps 4 to 6. */
  private async answer(request: Request): Promise<Answer> {
    if (request.oob && !request.info.oob) return failure('GenericError', `The command ${request.command} does not support OOB`);
    const refusal = argumentRefusal(request.info, request.args, this.host.typeName, this.host.release);
    if (refusal !== null) return failure('GenericError', refusal);
    if (request.command === 'qmp_capabilities') return this.negotiate(request.args);
    return this.host.run(request, this);
  }

  private negotiate(args: Record<string, unknown>): Answer {
    if (this.negotiated) return failure('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
    const wanted = Array.isArray(args.enable) ? (args.enable as string[]) : [];
    const unavailable = wanted.filter((c) => !this.host.offeredCapabilities.includes(c));
    if (unavailable.length > 0) return failure('GenericError', `Capability ${unavailable.join(', ')} not available`);
    this.negotiated = true;
    this.enabledCapabilities = [...new Set(wanted)];
    this.host.ready(this);
    return { return: {} };
  }

  private write(text: string): void {
    this.connection.sendText(text);
  }
}

/** Input no message could be read from (kept in the in-band queue). */
class Unreadable {
  constructor(readonly reason: string) {}
}

function failure(errorClass: string, desc: string): Answer {
  return { error: { class: errorClass, desc } };
}

function notFound(command: string, negotiated: boolean): Answer {
  return failure('CommandNotFound', negotiated ? `The command ${command} has not been found` : NEGOTIATION_DESC);
}

function idText(id: unknown, hasId: boolean): string {
  return hasId ? `, "id": ${stringifyQmpJson(id)}` : '';
}

function errorText(id: unknown, hasId: boolean, errorClass: string, desc: string): string {
  return `{"error": ${stringifyQmpJson({ class: errorClass, desc })}${idText(id, hasId)}}`;
}

/** The reply's text; QEMU's key order (`return` then `id`). */
export function answerText(answer: Exclude<Answer, null>, id: unknown, hasId: boolean): string {
  if ('error' in answer) return errorText(id, hasId, answer.error.class, answer.error.desc);
  const value = 'returnText' in answer ? answer.returnText : stringifyQmpJson(answer.return);
  return `{"return": ${value}${idText(id, hasId)}}`;
}
