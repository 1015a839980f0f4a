/**
 * Follows one block job from start to its final event, so callers can write
 * `await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top }))`.
 */
import { QmpJobError } from './errors.js';
import { followJob, type EventsOf, type FollowOptions, type JobCount, type JobHost, type JobKind } from './job-follower.js';
import type { QmpEvent } from './types.js';

export interface BlockJobProgress<N = number | bigint> {
  offset: N;
  len: N;
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

export interface RunBlockJobOptions<H = unknown> extends FollowOptions {
  /**
   * The job's id. Default: the `job-id` argument of the command start()
   * sends, else its `device` argument (QEMU names a job started without
   * `job-id` after its device). Give it when start() sends its command
   * only after an `await`.
   */
  jobId?: string;
  /** On BLOCK_JOB_READY send `block-job-complete` (default true). */
  autoComplete?: boolean;
  /**
   * Called when offset, length or status change; never after the job
   * ended.  The figures are held as the client's bindings hold 64-bit
   * integers (their `--int64` mode; see JobCount).
   */
  onProgress?: (progress: BlockJobProgress<JobCount<H>>) => void;
}

/** What runBlockJob needs from a client; QmpClient satisfies it. */
export type BlockJobHost = JobHost;

/**
 * The BLOCK_JOB_COMPLETED event runBlockJob resolves with, typed by the
 * client's event map when it has one (generated `Events`), else by
 * BlockJobEventData.
 */
export type BlockJobCompletedEvent<H> = QmpEvent<'BLOCK_JOB_COMPLETED', CompletedData<EventsOf<H>>>;

type CompletedData<E> = string extends keyof E
  ? BlockJobEventData
  : E extends { BLOCK_JOB_COMPLETED: infer D }
    ? D
    : BlockJobEventData;

/**
 * The events runBlockJob follows a job by.  Bindings that type and read
 * them need these events at least (for example in a `--only` build, which
 * keeps a bundle small); runBlockJob resolves with BLOCK_JOB_COMPLETED.
 */
export const BLOCK_JOB_EVENTS = ['JOB_STATUS_CHANGE', 'BLOCK_JOB_READY', 'BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_ERROR'] as const;

/** Block jobs: followed by their BLOCK_JOB_* events, listed by query-block-jobs, named by device. */
function blockJobs(autoComplete: boolean): JobKind {
  return {
    helper: 'runBlockJob',
    noun: 'block job',
    naming: "'job-id' or 'device'",
    idOf: (args) => (Object.hasOwn(args, 'job-id') ? args['job-id'] : args.device),
    events: new Set<string>(BLOCK_JOB_EVENTS),
    onEvent(event, data, id, job) {
      if (event.event === 'JOB_STATUS_CHANGE') {
        if (data.id === id) job.progress({}, data.status);
        return;
      }
      if (data.device !== id) return;
      switch (event.event) {
        case 'BLOCK_JOB_READY':
          job.progress(data, 'ready');
          if (autoComplete) job.send('block-job-complete', { device: id }).catch((error: unknown) => job.end({ ok: false, error }));
          return;
        case 'BLOCK_JOB_COMPLETED':
          job.progress(data);
          if (typeof data.error === 'string') job.end({ ok: false, error: new QmpJobError(id, `failed: ${data.error}`, event) });
          else job.end({ ok: true, value: event });
          return;
        case 'BLOCK_JOB_CANCELLED':
          job.progress(data);
          job.end({ ok: false, error: new QmpJobError(id, 'cancelled', event) });
          return;
        case 'BLOCK_JOB_ERROR':
          // 'report' ends in BLOCK_JOB_COMPLETED with error; 'ignore' carries on.
          if (data.action === 'stop') job.end({ ok: false, error: new QmpJobError(id, `${String(data.operation)} error, job paused`, event) });
          return;
      }
    },
    figures: ['offset', 'len'],
    list: 'query-block-jobs',
    listedId: (info) => info.device,
    onListed: (info, job) => job.progress(info, info.status),
    cancel: (id) => ['block-job-cancel', { device: id, force: true }],
  };
}

/**
 * Resolves with the final BLOCK_JOB_COMPLETED event of a successful job.
 * Rejects with QmpJobError when the job completes with `error`, is cancelled,
 * or stops on an I/O error (BLOCK_JOB_ERROR with action `stop`, which leaves
 * the job paused); with QmpJobNotFoundError when, start() having succeeded,
 * no block job goes by the id followed; with the start() error if starting
 * fails; with QmpConnectionError if the connection dies (QmpOutcomeUnknownError
 * when it is lost and the client reconnects). The outcome is only
 * delivered after start() has resolved, even if the job finished first.
 */
export function runBlockJob<H extends BlockJobHost>(
  client: H,
  start: () => Promise<unknown>,
  options: RunBlockJobOptions<H> = {},
): Promise<QmpEvent<'BLOCK_JOB_COMPLETED', CompletedData<EventsOf<H>>>> {
  const onProgress = options.onProgress as ((progress: Record<string, unknown>) => void) | undefined;
  return followJob(client, start, options, blockJobs(options.autoComplete ?? true), onProgress) as Promise<
    QmpEvent<'BLOCK_JOB_COMPLETED', CompletedData<EventsOf<H>>>
  >;
}

