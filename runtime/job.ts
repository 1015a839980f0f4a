/**
 * Follows one job of QEMU's generic job API (JOB_STATUS_CHANGE, query-jobs,
 * the `job-*` commands) from the command that starts it to its end: what
 * blockdev-create, x-blockdev-amend, snapshot-save, snapshot-load and
 * snapshot-delete start, jobs that wait, once concluded, to be dismissed.
 * So callers can write
 * `await runJob(client, () => qmp.blockdevCreate({ 'job-id': 'create0', options }))`.
 */
import { QmpJobError } from './errors.js';
import { followJob, record, type FollowOptions, type JobControl, type JobCount, type JobHost, type JobKind, type Outcome } from './job-follower.js';
import type { QmpEvent } from './types.js';

export interface JobProgress<N = number | bigint> {
  /** `current-progress` and `total-progress` (their unit is the job's own). */
  current: N;
  total: N;
  /** Job status (`running`, `ready`, ...) when known. */
  status?: string;
}

/** A job as query-jobs lists it. */
export interface JobInfo<N = number | bigint> {
  id: string;
  /** `create`, `amend`, `snapshot-save`, ... */
  type: string;
  status: string;
  'current-progress': N;
  'total-progress': N;
  /** Set once a job that failed has concluded. */
  error?: string;
}

export interface RunJobOptions<H = unknown> extends FollowOptions {
  /** The job's id. Default: the `job-id` argument of the command start() sends. */
  jobId?: string;
  /** On status `ready` send `job-complete` (default true). */
  autoComplete?: boolean;
  /**
   * Once concluded, send `job-dismiss` (default true; best effort): the
   * commands runJob is made for leave their jobs in QEMU until dismissed.
   */
  dismiss?: boolean;
  /** Called when progress or status change; never after the job ended. Figures as the client's bindings hold 64-bit integers. */
  onProgress?: (progress: JobProgress<JobCount<H>>) => void;
}

/** The events runJob follows a job by. */
export const JOB_EVENTS = ['JOB_STATUS_CHANGE'] as const;

function vanished(id: string, event: QmpEvent): QmpJobError {
  return new QmpJobError(id, 'dismissed before its outcome could be read (runJob follows jobs that wait to be dismissed; runBlockJob block jobs)', event);
}

/** Once concluded: the job's error (query-jobs), then dismissal. */
async function conclusion(id: string, event: QmpEvent, job: JobControl, dismiss: boolean): Promise<Outcome> {
  const listed = await job.send('query-jobs');
  const info = Array.isArray(listed) ? listed.map(record).find((j) => j?.id === id) : undefined;
  if (info === undefined) return { ok: false, error: vanished(id, event) };
  if (dismiss) await job.send('job-dismiss', { id }).catch(() => {});
  if (typeof info.error === 'string') return { ok: false, error: new QmpJobError(id, `failed: ${info.error}`, event) };
  const figure = (name: string): unknown => job.count(info[name]) ?? info[name];
  return { ok: true, value: { ...info, 'current-progress': figure('current-progress'), 'total-progress': figure('total-progress') } };
}

/** Jobs of the generic API: followed by JOB_STATUS_CHANGE, listed by query-jobs, named by `job-id`. */
function genericJobs(autoComplete: boolean, dismiss: boolean): JobKind {
  return {
    helper: 'runJob',
    noun: 'job',
    naming: "'job-id'",
    idOf: (args) => args['job-id'],
    events: new Set<string>(JOB_EVENTS),
    onEvent(event, data, id, job) {
      if (data.id !== id) return;
      job.progress({}, data.status);
      switch (data.status) {
        case 'ready':
          if (autoComplete) job.send('job-complete', { id }).catch((error: unknown) => job.end({ ok: false, error }));
          return;
        case 'concluded':
          job.endWith(conclusion(id, event, job, dismiss));
          return;
        case 'null':
          job.end({ ok: false, error: vanished(id, event) });
          return;
      }
    },
    figures: ['current', 'total'],
    list: 'query-jobs',
    listedId: (info) => info.id,
    onListed: (info, job) => job.progress({ current: info['current-progress'], total: info['total-progress'] }, info.status),
    cancel: (id) => ['job-cancel', { id }],
  };
}

/**
 * Resolves with the job as query-jobs lists it once it has concluded
 * without error (then dismissed).  Rejects with QmpJobError when it
 * concludes with `error` (QEMU's message in it; cancelled jobs too), or
 * when it is dismissed before its outcome could be read; with
 * QmpJobNotFoundError when, start() having succeeded, no job goes by the
 * id followed; with the start() error if starting fails; with
 * QmpConnectionError if the connection dies.  As runBlockJob, the outcome
 * is only delivered after start() has resolved.
 */
export function runJob<H extends JobHost>(client: H, start: () => Promise<unknown>, options: RunJobOptions<H> = {}): Promise<JobInfo<JobCount<H>>> {
  const onProgress = options.onProgress as ((progress: Record<string, unknown>) => void) | undefined;
  const kind = genericJobs(options.autoComplete ?? true, options.dismiss ?? true);
  return followJob(client, start, options, kind, onProgress) as Promise<JobInfo<JobCount<H>>>;
}
