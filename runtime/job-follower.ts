/**
 * Following one job from the command that starts it to its end: what
 * runBlockJob and runJob share.  A follower is a small state machine
 * (Phase below); what a kind of job means by its events and its listing
 * (block jobs, generic jobs) comes from a JobKind.
 *
 * Which job: the id given, else the one named by the command start()
 * sends before its first await, which the client reports (observeSends).
 * Guarantees: the outcome is delivered only after start() has resolved;
 * a job that does not exist once start() resolved fails at once
 * (QmpJobNotFoundError, after one listing); the connection's end, a lost
 * connection, the time limit and the signal each end the wait.
 */
import type { QmpClient } from './client.js';
import { armDeadline, checkTimeout } from './deadline.js';
import { QmpConnectionError, QmpJobNotFoundError, QmpOutcomeUnknownError, QmpTimeoutError } from './errors.js';
import type { AbortSignalLike } from './platform.js';
import type { ReconnectEvent } from './reconnect.js';
import type { Int64Mode } from './type-rules.js';
import type { QmpTransport } from './transport.js';
import type { EventMap, QmpEvent } from './types.js';

/** What the job helpers need from a client; QmpClient satisfies it. */
export interface JobHost extends QmpTransport {
  on(name: '*', handler: (event: QmpEvent) => void): unknown;
  off(name: '*', handler: (event: QmpEvent) => void): unknown;
  onClose(listener: (error: QmpConnectionError) => void): () => void;
  /** Reports the commands sent while `fn` runs (without it, give `jobId`). */
  observeSends?<T>(fn: () => T, seen: (command: string, args: Record<string, unknown> | undefined) => void): T;
  /** Tells of connection losses (a job followed across one has an unknown outcome). */
  onReconnect?(listener: (event: ReconnectEvent) => void): () => void;
  /** The bindings, whose Int64Mode progress figures follow. */
  readonly bindings?: { readonly int64: Int64Mode } | undefined;
}

/** The client's event map (generated `Events`), or EventMap. */
export type EventsOf<H> = H extends QmpClient<infer E> ? E : EventMap;

/**
 * How the client's bindings hold a 64-bit integer (their `--int64` mode),
 * read off the `len` of BLOCK_JOB_COMPLETED in its event map; `number |
 * bigint` without bindings (or without that event).
 */
export type JobCount<H> = CountIn<EventsOf<H>>;
type CountIn<E> = string extends keyof E ? number | bigint : E extends { BLOCK_JOB_COMPLETED: { len: infer N } } ? N : number | bigint;

/** What every job helper takes. */
export interface FollowOptions {
  /**
   * The job's id. Default: the one the command start() sends names (see
   * each helper). Give it when start() sends its command only after an
   * `await`.
   */
  jobId?: string;
  /**
   * Milliseconds between listings of the jobs while running (default
   * 1000; 0: none). Either way one listing right after start() checks
   * that the job exists.
   */
  pollInterval?: number;
  /** Give up after this many ms with QmpTimeoutError; the job is left as it is. */
  timeout?: number;
  /** Aborting rejects with the signal's reason and cancels the job (best effort). */
  signal?: AbortSignalLike;
}

export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** What a kind of job does with the follower while it runs. */
export interface JobControl {
  /** New progress figures (by the kind's field names) and status; unchanged ones are not reported. */
  progress(figures: Readonly<Record<string, unknown>>, status?: unknown): void;
  /** The job's end is known. */
  end(outcome: Outcome): void;
  /** The job has ended; its outcome is being read. */
  endWith(outcome: Promise<Outcome>): void;
  /** Sends a command on the job's client. */
  send(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** A 64-bit figure as the client's bindings hold it (see `count`). */
  count(value: unknown): number | bigint | undefined;
}

/** What a kind of job (block jobs, generic jobs) tells the follower. */
export interface JobKind {
  /** In messages: `runBlockJob`. */
  readonly helper: string;
  /** In messages: `block job`, `job`. */
  readonly noun: 'block job' | 'job';
  /** The members naming a job, in messages: `'job-id' or 'device'`. */
  readonly naming: string;
  /** The job id a command's arguments name, if any. */
  idOf(args: Record<string, unknown>): unknown;
  /** The events jobs of this kind are followed by. */
  readonly events: ReadonlySet<string>;
  /** What an event for the job means. */
  onEvent(event: QmpEvent, data: Record<string, unknown>, id: string, job: JobControl): void;
  /** The names of the two progress figures (done, of). */
  readonly figures: readonly [string, string];
  /** The command that lists the jobs, the id of a listed job, and what a listing of the job says. */
  readonly list: string;
  listedId(info: Record<string, unknown>): unknown;
  onListed(info: Record<string, unknown>, job: JobControl): void;
  /** The command (and its arguments) that cancels the job. */
  cancel(id: string): readonly [string, Record<string, unknown>];
}

/**
 * Where a follower is.  `starting`: start() has not resolved (events that
 * come before the job's id is known wait in `early`); `running`: the job
 * exists and is listed every pollInterval; `ending`: its end is known (or
 * being read: `outcome` still undefined), delivered once start() resolved;
 * `settled`: the promise is settled (`cancelOnStart`: aborted before
 * start() resolved, so the job is cancelled once it has started).
 */
type Phase =
  | { readonly name: 'starting'; readonly early: QmpEvent[] }
  | { readonly name: 'running'; timer?: ReturnType<typeof setTimeout> }
  | { readonly name: 'ending'; started: boolean; outcome?: Outcome }
  | { readonly name: 'settled'; cancelOnStart: boolean };

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A 64-bit figure as `mode` holds it; undefined when it holds none (not an integer, or beyond 2^53 in `number` mode). */
export function count(value: unknown, mode: Int64Mode): number | bigint | undefined {
  if (typeof value === 'bigint') return mode === 'number' ? undefined : value;
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  return mode === 'bigint' ? BigInt(value) : value;
}

class JobFollower {
  private phase: Phase = { name: 'starting', early: [] };
  /** Known once start() resolved (or from the start, when given). */
  private id: string | undefined;
  private readonly figures: Record<string, unknown>;
  private readonly mode: Int64Mode;
  private readonly pollInterval: number;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly control: JobControl;
  private readonly onEvent = (event: QmpEvent): void => this.event(event);

  constructor(
    private readonly client: JobHost,
    private readonly kind: JobKind,
    private readonly options: FollowOptions,
    private readonly onProgress: ((progress: Record<string, unknown>) => void) | undefined,
    private readonly settle: (outcome: Outcome) => void,
  ) {
    this.id = options.jobId;
    this.mode = client.bindings?.int64 ?? 'mixed';
    const zero = this.mode === 'bigint' ? 0n : 0;
    this.figures = { [kind.figures[0]]: zero, [kind.figures[1]]: zero };
    this.pollInterval = options.pollInterval ?? 1000;
    this.control = {
      progress: (figures, status) => this.progress(figures, status),
      end: (outcome) => this.end(outcome),
      endWith: (outcome) => {
        this.end(undefined);
        outcome.then(
          (o) => this.arrive(o),
          (error: unknown) => this.arrive({ ok: false, error }),
        );
      },
      send: (command, args) => client.execute(command, args),
      count: (value) => count(value, this.mode),
    };
  }

  private get name(): string {
    return this.id ?? '(not yet known)';
  }

  run(start: () => Promise<unknown>): void {
    const { client, kind, options } = this;
    if (options.signal?.aborted) return this.finish({ ok: false, error: options.signal.reason });
    try {
      checkTimeout(kind.helper, options.timeout);
      checkTimeout(`${kind.helper}: pollInterval`, this.pollInterval);
    } catch (error) {
      return this.finish({ ok: false, error });
    }
    client.on('*', this.onEvent);
    this.unsubscribe.push(
      () => client.off('*', this.onEvent),
      client.onClose((error) => this.finish({ ok: false, error: new QmpConnectionError(`job ${this.name}: ${error.message}`, { cause: error }) })),
      client.onReconnect?.((event) => {
        if (event.kind !== 'lost') return;
        const error = new QmpOutcomeUnknownError(`job ${this.name}`, `${event.cause.message}; events may be missed while reconnecting`, { cause: event.cause });
        this.finish({ ok: false, error });
      }) ?? (() => {}),
      armDeadline(kind.noun, options, (reason) => this.expire(reason)),
    );
    const sent: { command: string; args: Record<string, unknown> | undefined }[] = [];
    let begun: Promise<unknown>;
    try {
      begun = Promise.resolve(client.observeSends ? client.observeSends(start, (command, args) => sent.push({ command, args })) : start());
    } catch (error) {
      begun = Promise.reject(error);
    }
    begun.then(
      () => this.started(client.observeSends ? sent : undefined),
      (error: unknown) => this.finish({ ok: false, error }),
    );
  }

  /** start() resolved: the job exists (or has ended) from now on. */
  private started(sent: readonly { command: string; args: Record<string, unknown> | undefined }[] | undefined): void {
    if (this.id === undefined) {
      const found = this.idFrom(sent);
      if (found instanceof Error) return this.finish({ ok: false, error: found });
      this.id = found;
    }
    const phase = this.phase;
    switch (phase.name) {
      case 'settled':
        if (phase.cancelOnStart) this.cancel(this.id);
        return;
      case 'starting':
        for (const event of phase.early.splice(0)) this.event(event);
        if (this.phase.name === 'starting') {
          this.phase = { name: 'running' };
          this.list();
          return;
        }
        break;
      default:
        break;
    }
    if (this.phase.name === 'ending') {
      this.phase.started = true;
      this.deliver();
    }
  }

  /** The job id the commands name: an error unless exactly one. */
  private idFrom(sent: readonly { command: string; args: Record<string, unknown> | undefined }[] | undefined): string | Error {
    const { helper, naming } = this.kind;
    if (sent === undefined) return new TypeError(`${helper}: this client does not report what start() sends; pass options.jobId`);
    const ids = new Set<string>();
    for (const { args } of sent) {
      const id = args === undefined ? undefined : this.kind.idOf(args);
      if (typeof id === 'string') ids.add(id);
    }
    if (ids.size === 1) return [...ids][0]!;
    const names = sent.map((s) => s.command).join(', ') || 'nothing';
    const problem = ids.size === 0 ? `names no job (${naming})` : `names several jobs (${[...ids].join(', ')})`;
    return new TypeError(`${helper}: what start() sent before its first await (${names}) ${problem}; pass options.jobId`);
  }

  private event(event: QmpEvent): void {
    const phase = this.phase;
    if (!this.kind.events.has(event.event)) return;
    if (phase.name === 'starting' && this.id === undefined) {
      phase.early.push(event);
      return;
    }
    const data = record(event.data);
    if ((phase.name === 'starting' || phase.name === 'running') && data !== undefined) this.kind.onEvent(event, data, this.id!, this.control);
  }

  private progress(figures: Readonly<Record<string, unknown>>, status: unknown): void {
    // Nothing is reported once the job's end is known.
    if (this.phase.name !== 'starting' && this.phase.name !== 'running') return;
    let changed = false;
    for (const name of this.kind.figures) {
      const value = count(figures[name], this.mode);
      if (value !== undefined && value !== this.figures[name]) {
        this.figures[name] = value;
        changed = true;
      }
    }
    if (typeof status === 'string' && status !== this.figures.status) {
      this.figures.status = status;
      changed = true;
    }
    if (changed) this.onProgress?.({ ...this.figures });
  }

  /** The job's end is known (undefined: being read). */
  private end(outcome: Outcome | undefined): void {
    const phase = this.phase;
    if (phase.name !== 'starting' && phase.name !== 'running') return;
    if (phase.name === 'running') clearTimeout(phase.timer);
    this.phase = { name: 'ending', started: phase.name === 'running', outcome };
    this.deliver();
  }

  /** The outcome an `endWith` was reading. */
  private arrive(outcome: Outcome): void {
    if (this.phase.name !== 'ending') return;
    this.phase.outcome = outcome;
    this.deliver();
  }

  private deliver(): void {
    const phase = this.phase;
    if (phase.name === 'ending' && phase.started && phase.outcome !== undefined) this.finish(phase.outcome);
  }

  /**
   * Lists the jobs: progress, or that there is no such job. The reply
   * follows every event sent before it, so a job that ended before the
   * listing has ended by then and is not reported missing.
   */
  private list(): void {
    const id = this.id!;
    this.client.execute(this.kind.list).then(
      (jobs) => {
        if (this.phase.name !== 'running') return;
        if (Array.isArray(jobs)) {
          const infos = jobs.map(record);
          const info = infos.find((j) => j !== undefined && this.kind.listedId(j) === id);
          if (info === undefined) {
            const existing = infos.map((j) => (j === undefined ? undefined : this.kind.listedId(j))).filter((d): d is string => typeof d === 'string');
            return this.finish({ ok: false, error: new QmpJobNotFoundError(id, existing, this.kind.noun) });
          }
          this.kind.onListed(info, this.control);
        }
        this.schedule();
      },
      // A failed listing is not a job failure; the connection's end arrives via onClose.
      () => this.schedule(),
    );
  }

  private schedule(): void {
    const phase = this.phase;
    if (phase.name === 'running' && this.pollInterval > 0 && this.pollInterval !== Infinity) {
      phase.timer = setTimeout(() => this.list(), this.pollInterval);
    }
  }

  /** The time limit or the signal: the job is cancelled (on abort), and the wait ends. */
  private expire(reason: unknown): void {
    const aborted = this.options.signal?.aborted === true;
    const started = this.phase.name === 'running' || (this.phase.name === 'ending' && this.phase.started);
    if (aborted && started) this.cancel(this.id!);
    const error = reason instanceof QmpTimeoutError ? new QmpTimeoutError(`${this.kind.noun} ${this.name}`, reason.timeout) : reason;
    this.finish({ ok: false, error });
    // Before start() resolved the job may not exist yet: cancelled once it has started.
    if (aborted && !started && this.phase.name === 'settled') this.phase.cancelOnStart = true;
  }

  private cancel(id: string): void {
    const [command, args] = this.kind.cancel(id);
    this.client.execute(command, args).catch(() => {});
  }

  private finish(outcome: Outcome): void {
    const phase = this.phase;
    if (phase.name === 'settled') return;
    if (phase.name === 'running') clearTimeout(phase.timer);
    this.phase = { name: 'settled', cancelOnStart: false };
    for (const undo of this.unsubscribe.splice(0)) undo();
    this.settle(outcome);
  }
}

/** Follows the job start() starts, as `kind` says; resolves with the value of a successful outcome. */
export function followJob(
  client: JobHost,
  start: () => Promise<unknown>,
  options: FollowOptions,
  kind: JobKind,
  onProgress?: (progress: Record<string, unknown>) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new JobFollower(client, kind, options, onProgress, (outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error))).run(start);
  });
}
