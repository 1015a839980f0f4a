/**
 * Follows one block job from start to its final event, so callers can write
 * `await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top }))`.
 */
import type { QmpClient } from './client.js';
import { armDeadline, checkTimeout } from './deadline.js';
import { QmpConnectionError, QmpJobError, QmpJobNotFoundError, QmpTimeoutError } from './errors.js';
import type { AbortSignalLike } from './platform.js';
import { recordSent, type SentCommand } from './sent-commands.js';
import type { QmpTransport } from './transport.js';
import type { EventMap, QmpEvent } from './types.js';

export interface BlockJobProgress {
  offset: number | bigint;
  len: number | bigint;
  /** Job status (`running`, `ready`, ...) when known. */
  status?: string;
}

/** The members of QEMU's BLOCK_JOB_* events that runBlockJob reads. */
export interface BlockJobEventData {
  type: string;
  /** The job's id (for jobs started without `job-id`, the device name). */
  device: string;
  len: number | bigint;
  offset: number | bigint;
  speed: number | bigint;
  /** Set on BLOCK_JOB_COMPLETED when the job failed. */
  error?: string;
}

export interface RunBlockJobOptions {
  /**
   * The job's id. Default: the `job-id` argument of the command start()
   * sends, else its `device` argument (QEMU names a job started without
   * `job-id` after its device). Give it when start() sends its command
   * only after an `await`.
   */
  jobId?: string;
  /** On BLOCK_JOB_READY send `block-job-complete` (default true). */
  autoComplete?: boolean;
  /** Called when offset, length or status change; never after the job ended. */
  onProgress?: (progress: BlockJobProgress) => void;
  /**
   * Milliseconds between `query-block-jobs` polls while running (default
   * 1000; 0: no polls). Either way one query right after start() checks
   * that the job exists.
   */
  pollInterval?: number;
  /** Give up after this many ms with QmpTimeoutError; the job is left as it is. */
  timeout?: number;
  /** Aborting rejects with the signal's reason and force-cancels the job (best effort). */
  signal?: AbortSignalLike;
}

/** What runBlockJob needs from a client; QmpClient satisfies it. */
export interface BlockJobHost extends QmpTransport {
  on(name: '*', handler: (event: QmpEvent) => void): unknown;
  off(name: '*', handler: (event: QmpEvent) => void): unknown;
  onClose(listener: (error: QmpConnectionError) => void): () => void;
}

/**
 * The BLOCK_JOB_COMPLETED event runBlockJob resolves with, typed by the
 * client's event map when it has one (generated `Events`), else by
 * BlockJobEventData.
 */
export type BlockJobCompletedEvent<H> = QmpEvent<'BLOCK_JOB_COMPLETED', CompletedData<H extends QmpClient<infer E> ? E : EventMap>>;

type CompletedData<E> = string extends keyof E
  ? BlockJobEventData
  : E extends { BLOCK_JOB_COMPLETED: infer D }
    ? D
    : BlockJobEventData;

type Outcome = { ok: true; event: QmpEvent } | { ok: false; error: unknown };

/**
 * The events runBlockJob follows a job by.  Bindings that type and read
 * them need these events at least (for example in a `--only` build, which
 * keeps a bundle small); runBlockJob resolves with BLOCK_JOB_COMPLETED.
 */
export const BLOCK_JOB_EVENTS = ['JOB_STATUS_CHANGE', 'BLOCK_JOB_READY', 'BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_ERROR'] as const;

const JOB_EVENTS: ReadonlySet<string> = new Set(BLOCK_JOB_EVENTS);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function isCount(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** The job id the commands name: `job-id`, else `device`; an error unless exactly one. */
function jobIdOf(sent: readonly SentCommand[]): string | Error {
  const ids = new Set<string>();
  for (const { args } of sent) {
    const id = args !== undefined && Object.hasOwn(args, 'job-id') ? args['job-id'] : args?.device;
    if (typeof id === 'string') ids.add(id);
  }
  if (ids.size === 1) return [...ids][0]!;
  const names = sent.map((s) => s.command).join(', ') || 'nothing';
  const problem = ids.size === 0 ? "names no job ('job-id' or 'device')" : `names several jobs (${[...ids].join(', ')})`;
  return new TypeError(`runBlockJob: what start() sent before its first await (${names}) ${problem}; pass options.jobId`);
}

/**
 * Resolves with the final BLOCK_JOB_COMPLETED event of a successful job.
 * Rejects with QmpJobError when the job completes with `error`, is cancelled,
 * or stops on an I/O error (BLOCK_JOB_ERROR with action `stop`, which leaves
 * the job paused); with QmpJobNotFoundError when, start() having succeeded,
 * no block job goes by the id followed; with the start() error if starting
 * fails; with QmpConnectionError if the connection dies. The outcome is only
 * delivered after start() has resolved, even if the job finished first.
 */
export function runBlockJob<H extends BlockJobHost>(
  client: H,
  start: () => Promise<unknown>,
  options: RunBlockJobOptions = {},
): Promise<BlockJobCompletedEvent<H>> {
  const { onProgress } = options;
  const autoComplete = options.autoComplete ?? true;
  const pollInterval = options.pollInterval ?? 1000;

  return new Promise<QmpEvent>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    try {
      checkTimeout('runBlockJob', options.timeout);
      checkTimeout('runBlockJob: pollInterval', pollInterval);
    } catch (error) {
      reject(error);
      return;
    }
    const progress: BlockJobProgress = { offset: 0, len: 0 };
    /** Known once start() resolved (or from the start, when given). */
    let jobId = options.jobId;
    /** Job events that arrived before the job id was known. */
    const early: QmpEvent[] = [];
    let outcome: Outcome | undefined;
    let started = false;
    /** Aborted: the job is to be cancelled as soon as its id is known. */
    let cancelling = false;
    let finished = false;
    let pollTimer: NodeJS.Timeout | undefined;
    const name = (): string => jobId ?? '(not yet known)';

    const update = (offset: unknown, len: unknown, status: unknown): void => {
      // Nothing is reported once the job's end is known.
      if (outcome !== undefined) return;
      const next = {
        offset: isCount(offset) ? offset : progress.offset,
        len: isCount(len) ? len : progress.len,
        status: typeof status === 'string' ? status : progress.status,
      };
      if (next.offset === progress.offset && next.len === progress.len && next.status === progress.status) return;
      Object.assign(progress, next);
      onProgress?.({ ...progress });
    };

    const finish = (fn: () => void): void => {
      if (finished) return;
      finished = true;
      client.off('*', onEvent);
      unsubscribeClose();
      disposeDeadline();
      clearTimeout(pollTimer);
      fn();
    };
    const deliver = (): void => {
      if (outcome === undefined || !started) return;
      const result = outcome;
      finish(() => (result.ok ? resolve(result.event) : reject(result.error)));
    };
    const conclude = (result: Outcome): void => {
      outcome ??= result;
      deliver();
    };

    const onEvent = (event: QmpEvent): void => {
      if (finished || !JOB_EVENTS.has(event.event)) return;
      if (jobId === undefined) {
        early.push(event);
        return;
      }
      const data = record(event.data);
      if (data === undefined) return;
      if (event.event === 'JOB_STATUS_CHANGE') {
        if (data.id === jobId) update(undefined, undefined, data.status);
        return;
      }
      if (data.device !== jobId) return;
      const id = jobId;
      switch (event.event) {
        case 'BLOCK_JOB_READY':
          update(data.offset, data.len, 'ready');
          if (autoComplete) {
            client.execute('block-job-complete', { device: id }).catch((error: unknown) => conclude({ ok: false, error }));
          }
          return;
        case 'BLOCK_JOB_COMPLETED':
          update(data.offset, data.len, undefined);
          if (typeof data.error === 'string') conclude({ ok: false, error: new QmpJobError(id, `failed: ${data.error}`, event) });
          else conclude({ ok: true, event });
          return;
        case 'BLOCK_JOB_CANCELLED':
          update(data.offset, data.len, undefined);
          conclude({ ok: false, error: new QmpJobError(id, 'cancelled', event) });
          return;
        case 'BLOCK_JOB_ERROR':
          // 'report' ends in BLOCK_JOB_COMPLETED with error; 'ignore' carries on.
          if (data.action === 'stop') {
            conclude({ ok: false, error: new QmpJobError(id, `${String(data.operation)} error, job paused`, event) });
          }
          return;
      }
    };

    /**
     * Asks QEMU about the job: progress, or that there is no such job. The
     * reply follows every event sent before it, so a job that ended before
     * the query has concluded by then and is not reported missing.
     */
    const query = (id: string): void => {
      client.execute('query-block-jobs').then(
        (jobs) => {
          if (finished) return;
          if (Array.isArray(jobs)) {
            const infos = jobs.map(record);
            const info = infos.find((j) => j?.device === id);
            if (info !== undefined) update(info.offset, info.len, info.status);
            else if (outcome === undefined) {
              const existing = infos.map((j) => j?.device).filter((d): d is string => typeof d === 'string');
              conclude({ ok: false, error: new QmpJobNotFoundError(id, existing) });
              return;
            }
          }
          schedulePoll(id);
        },
        // A failed query is not a job failure; connection loss arrives via onClose.
        () => {
          if (!finished) schedulePoll(id);
        },
      );
    };
    const schedulePoll = (id: string): void => {
      if (pollInterval > 0 && pollInterval !== Infinity) pollTimer = setTimeout(() => query(id), pollInterval);
    };

    client.on('*', onEvent);
    const unsubscribeClose = client.onClose((error) =>
      finish(() => reject(new QmpConnectionError(`job ${name()}: ${error.message}`, { cause: error }))),
    );
    const cancel = (id: string): void => {
      client.execute('block-job-cancel', { device: id, force: true }).catch(() => {});
    };
    const disposeDeadline = armDeadline('block job', options, (reason) => {
      if (options.signal?.aborted) {
        // Before start() resolved the job may not exist yet: cancel it then.
        if (started && jobId !== undefined) cancel(jobId);
        else cancelling = true;
      }
      const error = reason instanceof QmpTimeoutError ? new QmpTimeoutError(`block job ${name()}`, reason.timeout) : reason;
      finish(() => reject(error));
    });

    const sent: SentCommand[] = [];
    let begun: Promise<unknown>;
    try {
      begun = Promise.resolve(recordSent(sent, start));
    } catch (error) {
      begun = Promise.reject(error);
    }
    begun.then(
      () => {
        if (jobId === undefined) {
          const found = jobIdOf(sent);
          if (found instanceof Error) return finish(() => reject(found));
          jobId = found;
        }
        if (cancelling) cancel(jobId);
        if (finished) return;
        for (const event of early.splice(0)) onEvent(event);
        started = true;
        deliver();
        if (!finished) query(jobId);
      },
      (error: unknown) => finish(() => reject(error)),
    );
  }) as Promise<BlockJobCompletedEvent<H>>;
}
