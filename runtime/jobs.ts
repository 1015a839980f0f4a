/**
 * Follows one block job from start to its final event, so callers can write
 * `await runBlockJob(client, () => client.execute('block-commit', ...), { jobId })`.
 */
import { armDeadline } from './deadline.js';
import { QmpConnectionError, QmpJobError } from './errors.js';
import type { QmpTransport } from './transport.js';
import type { QmpEvent } from './types.js';

export interface BlockJobProgress {
  offset: number | bigint;
  len: number | bigint;
  /** Job status (`running`, `ready`, ...) when known. */
  status?: string;
}

export interface RunBlockJobOptions {
  /** The job id (for jobs started without `job-id`, the device name). */
  jobId: string;
  /** On BLOCK_JOB_READY send `block-job-complete` (default true). */
  autoComplete?: boolean;
  onProgress?: (progress: BlockJobProgress) => void;
  /** Milliseconds between `query-block-jobs` polls while running (default 1000; 0 disables). */
  pollInterval?: number;
  /** Give up after this many ms with QmpTimeoutError; the job is left as it is. */
  timeout?: number;
  /** Aborting rejects with the signal's reason and force-cancels the job (best effort). */
  signal?: AbortSignal;
}

/** What runBlockJob needs from a client; QmpClient satisfies it. */
export interface BlockJobHost extends QmpTransport {
  on(name: '*', handler: (event: QmpEvent) => void): unknown;
  off(name: '*', handler: (event: QmpEvent) => void): unknown;
  onClose(listener: (error: QmpConnectionError) => void): () => void;
}

type Outcome = { ok: true; event: QmpEvent } | { ok: false; error: unknown };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function isCount(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Resolves with the final BLOCK_JOB_COMPLETED event of a successful job.
 * Rejects with QmpJobError when the job completes with `error`, is cancelled,
 * or stops on an I/O error (BLOCK_JOB_ERROR with action `stop`, which leaves
 * the job paused); with the start() error if starting fails; with
 * QmpConnectionError if the connection dies. The outcome is only delivered
 * after start() has resolved, even if the job finished first.
 */
export function runBlockJob(client: BlockJobHost, start: () => Promise<unknown>, options: RunBlockJobOptions): Promise<QmpEvent> {
  const { jobId, onProgress } = options;
  const autoComplete = options.autoComplete ?? true;
  const pollInterval = options.pollInterval ?? 1000;

  return new Promise<QmpEvent>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const progress: BlockJobProgress = { offset: 0, len: 0 };
    let outcome: Outcome | undefined;
    let started = false;
    let finished = false;
    let pollTimer: NodeJS.Timeout | undefined;

    const update = (offset: unknown, len: unknown, status: unknown): void => {
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
      const data = record(event.data);
      if (data === undefined || finished) return;
      if (event.event === 'JOB_STATUS_CHANGE') {
        if (data.id === jobId) update(undefined, undefined, data.status);
        return;
      }
      if (data.device !== jobId) return;
      switch (event.event) {
        case 'BLOCK_JOB_READY':
          update(data.offset, data.len, 'ready');
          if (autoComplete) {
            client.execute('block-job-complete', { device: jobId }).catch((error: unknown) => conclude({ ok: false, error }));
          }
          return;
        case 'BLOCK_JOB_COMPLETED':
          update(data.offset, data.len, undefined);
          if (typeof data.error === 'string') conclude({ ok: false, error: new QmpJobError(jobId, `failed: ${data.error}`, event) });
          else conclude({ ok: true, event });
          return;
        case 'BLOCK_JOB_CANCELLED':
          update(data.offset, data.len, undefined);
          conclude({ ok: false, error: new QmpJobError(jobId, 'cancelled', event) });
          return;
        case 'BLOCK_JOB_ERROR':
          // 'report' ends in BLOCK_JOB_COMPLETED with error; 'ignore' carries on.
          if (data.action === 'stop') {
            conclude({ ok: false, error: new QmpJobError(jobId, `${String(data.operation)} error, job paused`, event) });
          }
          return;
      }
    };

    const poll = (): void => {
      pollTimer = setTimeout(() => {
        client.execute('query-block-jobs').then(
          (jobs) => {
            if (finished) return;
            const info = Array.isArray(jobs) ? jobs.map(record).find((j) => j?.device === jobId) : undefined;
            if (info !== undefined) update(info.offset, info.len, info.status);
            poll();
          },
          // A failed poll is not a job failure; connection loss arrives via onClose.
          () => {
            if (!finished) poll();
          },
        );
      }, pollInterval);
    };

    client.on('*', onEvent);
    const unsubscribeClose = client.onClose((error) =>
      finish(() => reject(new QmpConnectionError(`job ${jobId}: ${error.message}`, { cause: error }))),
    );
    const disposeDeadline = armDeadline(`block job ${jobId}`, options, (reason) => {
      if (options.signal?.aborted) {
        client.execute('block-job-cancel', { device: jobId, force: true }).catch(() => {});
      }
      finish(() => reject(reason));
    });

    let begun: Promise<unknown>;
    try {
      begun = Promise.resolve(start());
    } catch (error) {
      begun = Promise.reject(error);
    }
    begun.then(
      () => {
        started = true;
        deliver();
        if (!finished && pollInterval > 0) poll();
      },
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
