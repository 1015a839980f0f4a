/**
 * `qapi-ts qmp --events [NAME,...]`: QEMU's events for a script, one JSON
 * line each on stdout as they arrive (exact 64-bit integers), optionally
 * only those named, until `--count` of them were printed, `--timeout`
 * seconds passed, or SIGINT/SIGTERM; each of those ends with exit 0.  A
 * lost connection is exit 3.
 */
import { nearMisses, stringifyQmpJson, type QmpClient, type QmpEvent } from 'qapi-ts-runtime';
import { CliExit, EXIT, type CliIo } from './io.js';

export interface EventFlags {
  /** `true` for every event, else the names (commas allowed). */
  events?: true | string;
  count?: string;
  timeout?: string;
}

export interface EventWatch {
  /** undefined: every event. */
  readonly names: ReadonlySet<string> | undefined;
  readonly count: number | undefined;
  readonly timeoutMs: number | undefined;
}

function usage(message: string): CliExit {
  return new CliExit(EXIT.usage, `qapi-ts: ${message}`);
}

/** The watch the flags ask for; --count and --timeout only with --events. */
export function eventWatch(flags: EventFlags): EventWatch | undefined {
  if (flags.events === undefined) {
    if (flags.count !== undefined || flags.timeout !== undefined) throw usage('--count and --timeout go with --events');
    return undefined;
  }
  let count: number | undefined;
  if (flags.count !== undefined) {
    count = Number(flags.count);
    if (!/^\d+$/.test(flags.count) || count < 1) throw usage(`--count: expected a positive whole number, got '${flags.count}'`);
  }
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (flags.timeout.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw usage(`--timeout: expected a positive number of seconds, got '${flags.timeout}'`);
    timeoutMs = seconds * 1000;
  }
  const names =
    flags.events === true
      ? undefined
      : new Set(
          flags.events
            .split(',')
            .map((n) => n.trim())
            .filter((n) => n !== ''),
        );
  return { names: names?.size === 0 ? undefined : names, count, timeoutMs };
}

/** Every name must be an event of the schema: a usage error naming near misses otherwise. */
export function checkEventNames(watch: EventWatch, events: readonly string[], label: string): void {
  const known = new Set(events);
  for (const name of watch.names ?? []) {
    if (known.has(name)) continue;
    const near = nearMisses(name, events);
    const hint = near.length === 0 ? '' : ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)`;
    throw usage(`--events: ${label} has no event '${name}'${hint}`);
  }
}

/** One line of JSON for an event, as QEMU sent it (data left out when it had none). */
export function eventLine(event: QmpEvent): string {
  const { event: name, data, timestamp } = event;
  return stringifyQmpJson(data === undefined ? { event: name, timestamp } : { event: name, data, timestamp });
}

/**
 * Prints events until the watch ends; resolves on count, timeout or abort,
 * or once stdout's reader has gone (`qmp --events | head -n 1`: the next
 * event finds the pipe closed, and the watch ends as Unix tools do),
 * rejects (exit 3) on a lost connection.  Once listening, it says so on
 * stderr, naming `source` (scripts may wait for that line).
 */
export function watchEvents(client: QmpClient, watch: EventWatch, source: string, interrupted: AbortSignal, io: CliIo): Promise<void> {
  const signal = io.stdoutClosed === undefined ? interrupted : AbortSignal.any([interrupted, io.stdoutClosed]);
  return new Promise<void>((resolve, reject) => {
    let printed = 0;
    const finish = (error?: unknown): void => {
      client.off('*', onEvent);
      unsubscribe();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onEvent = (event: QmpEvent): void => {
      if (watch.names !== undefined && !watch.names.has(event.event)) return;
      io.stdout(`${eventLine(event)}\n`);
      printed += 1;
      if (watch.count !== undefined && printed >= watch.count) finish();
    };
    const onAbort = (): void => finish();
    const unsubscribe = client.onClose((e) => finish(new CliExit(EXIT.qmp, `qapi-ts: ${e.message} while watching events`)));
    const timer = watch.timeoutMs === undefined ? undefined : setTimeout(() => finish(), watch.timeoutMs);
    client.on('*', onEvent);
    const which = watch.names === undefined ? 'every event' : [...watch.names].join(', ');
    io.stderr(`qapi-ts: printing ${which} from ${source} (Ctrl-C to stop)\n`);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
