/**
 * Tracing: each command a client sends is published on the tracing channel
 * `qapi-ts:command` of Node's diagnostics_channel (its start, end,
 * asyncStart, asyncEnd and error events), so that OpenTelemetry or any
 * logger can subscribe.  Nothing is built unless someone has subscribed.
 * The module is reached through `process.getBuiltinModule`, not imported:
 * where there is none (a browser, an older Node), nothing is traced and
 * nothing fails.
 */
import { isQmpError } from './errors.js';

/** The channel's name: `diagnostics_channel.tracingChannel(COMMAND_CHANNEL)`. */
export const COMMAND_CHANNEL = 'qapi-ts:command';

/** How a traced command ended. */
export type CommandOutcome =
  /** A reply with `return` (`result` holds it). */
  | 'return'
  /** An error reply (`error` is the QmpError). */
  | 'error'
  /** A command that expects no reply was written. */
  | 'sent'
  /** No reply: it timed out, was aborted, or the connection ended (`error` says which). */
  | 'failed';

/** The context object of the channel's events for one command. */
export interface CommandTrace {
  readonly command: string;
  /** Its id on the wire (unique per client). */
  readonly id: number;
  /** The arguments as sent; they may hold secrets (`object-add` of a secret). */
  readonly arguments: Readonly<Record<string, unknown>> | undefined;
  /** Milliseconds from sending to the outcome, set when it settles. */
  duration?: number;
  outcome?: CommandOutcome;
  /** Set by the channel: what the command resolved with, or why it rejected. */
  result?: unknown;
  error?: unknown;
}

interface TracingChannelLike {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: object): Promise<T>;
}

/** The channel, once looked for (null: there is none here). */
let channel: TracingChannelLike | null | undefined;

function commandChannel(): TracingChannelLike | null {
  if (channel === undefined) {
    const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
    const dc = host.process?.getBuiltinModule?.('node:diagnostics_channel') as { tracingChannel?: (name: string) => TracingChannelLike } | undefined;
    channel = dc?.tracingChannel?.(COMMAND_CHANNEL) ?? null;
  }
  return channel;
}

/** `send()`, published on the channel when someone listens. */
export function traceCommand(command: string, id: number, args: Record<string, unknown> | undefined, noReply: boolean, send: () => Promise<unknown>): Promise<unknown> {
  const traces = commandChannel();
  if (traces === null || !traces.hasSubscribers) return send();
  const trace: CommandTrace = { command, id, arguments: args };
  const started = performance.now();
  const ended = (outcome: CommandOutcome): void => {
    trace.duration = performance.now() - started;
    trace.outcome = outcome;
  };
  return traces.tracePromise(
    () =>
      send().then(
        (result) => {
          ended(noReply ? 'sent' : 'return');
          return result;
        },
        (error: unknown) => {
          ended(isQmpError(error) ? 'error' : 'failed');
          throw error;
        },
      ),
    trace,
  );
}
