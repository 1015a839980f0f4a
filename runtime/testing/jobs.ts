/**
 * Jobs as QEMU runs them (job.c, blockjob.c), simulated: a handler starts
 * one and it walks QEMU's states with the events QEMU sends, in QEMU's
 * order (checked against QEMU 10.0.2 by test/e2e/job-events.qemu.test.ts):
 *
 *   created, running                    (before the starting command's reply)
 *   running → ready + BLOCK_JOB_READY   (a job that waits to be completed:
 *                                        mirror, active commit)
 *   → waiting → pending [+ BLOCK_JOB_PENDING, then job-finalize]
 *   → BLOCK_JOB_COMPLETED → concluded [→ job-dismiss] → null
 *
 * A failure goes running → aborting → BLOCK_JOB_COMPLETED with `error`;
 * a cancel → aborting → BLOCK_JOB_CANCELLED; a soft cancel of a ready job
 * completes it.  The job commands (query-jobs, query-block-jobs,
 * block-job-* and job-*) answer from the same state, refusing a verb the
 * state does not accept exactly as QEMU does (its verb table).
 */
import { CommandFailure } from './errors.js';

export type JobStatus = 'undefined' | 'created' | 'running' | 'paused' | 'ready' | 'standby' | 'waiting' | 'pending' | 'aborting' | 'concluded' | 'null';
type Verb = 'cancel' | 'pause' | 'resume' | 'set-speed' | 'complete' | 'finalize' | 'dismiss' | 'change';

/** QEMU's JobVerbTable: the states each verb is accepted in. */
const VERBS: Readonly<Record<Verb, readonly JobStatus[]>> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'],
  pause: ['created', 'running', 'paused', 'ready', 'standby'],
  resume: ['created', 'running', 'paused', 'ready', 'standby'],
  'set-speed': ['created', 'running', 'paused', 'ready', 'standby'],
  complete: ['ready', 'standby'],
  finalize: ['pending'],
  dismiss: ['concluded'],
  change: ['created', 'running', 'paused', 'ready', 'standby'],
};

/** Job types that are no block jobs (query-jobs lists them, query-block-jobs does not). */
const NOT_BLOCK_JOBS: ReadonlySet<string> = new Set(['create', 'amend', 'snapshot-load', 'snapshot-save', 'snapshot-delete']);

/** A job's I/O error, as BLOCK_JOB_ERROR reports it. */
export interface JobIoError {
  readonly operation: 'read' | 'write';
  /** `report`: the job fails; `stop`: it pauses until resumed (then
   *  succeeds); `ignore`: it carries on. */
  readonly action: 'report' | 'stop' | 'ignore';
  /** The error text a failed job reports (default `Input/output error`). */
  readonly message?: string;
}

export interface JobOptions {
  /** The job's id (QEMU's `job-id`, else the device's name). */
  readonly id: string;
  /** Its JobType: `commit`, `mirror`, `stream`, `backup`, `create`, ... */
  readonly type: string;
  /** Listed by query-block-jobs, with BLOCK_JOB_* events (default: all
   *  types but create, amend and the snapshot ones). */
  readonly block?: boolean;
  /** Bytes of work (default 64 MiB). */
  readonly len?: number | bigint;
  readonly speed?: number | bigint;
  /** Waits in `ready` for block-job-complete (mirror, active commit). */
  readonly ready?: boolean;
  readonly autoFinalize?: boolean;
  readonly autoDismiss?: boolean;
  /** An I/O error on the first step of progress. */
  readonly ioError?: JobIoError;
  /** Steps of progress from 0 to `len` (default 2). */
  readonly steps?: number;
  /** Milliseconds between steps (default 0: as the event loop goes);
   *  `manual`: only `job.step()` moves it. */
  readonly interval?: number | 'manual';
}

/** What the simulator needs of the peer. */
export interface JobHost {
  /** Sends an event (left out when the schema has no such event). */
  emit(name: string, data: Record<string, unknown>): void;
  /** Runs `fn` once the current command's reply has gone out. */
  later(fn: () => void, ms?: number): () => void;
}

const ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** One simulated job. */
export class SimulatedJob {
  readonly id: string;
  readonly type: string;
  readonly block: boolean;
  readonly len: bigint;
  status: JobStatus = 'undefined';
  offset = 0n;
  speed: bigint;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** Paused by the user (or by an I/O error with action `stop`). */
  userPaused = false;
  /** Set once the job failed: BLOCK_JOB_COMPLETED's error. */
  error: string | undefined;
  ioStatus: 'ok' | 'failed' = 'ok';
  private readonly needsComplete: boolean;
  private readonly stepCount: number;
  private readonly interval: number | 'manual';
  private pendingIoError: JobIoError | undefined;
  private cancelRequested = false;
  private cancelTimer: (() => void) | undefined;
  private stepTimer: (() => void) | undefined;
  private readonly waiters: { status: JobStatus; resolve: () => void }[] = [];

  constructor(
    options: JobOptions,
    private readonly host: JobHost,
    private readonly gone: (job: SimulatedJob) => void,
  ) {
    this.id = options.id;
    this.type = options.type;
    this.block = options.block ?? !NOT_BLOCK_JOBS.has(options.type);
    this.len = BigInt(options.len ?? 64 * 1024 * 1024);
    this.speed = BigInt(options.speed ?? 0);
    this.autoFinalize = options.autoFinalize ?? true;
    this.autoDismiss = options.autoDismiss ?? true;
    this.needsComplete = options.ready ?? false;
    this.pendingIoError = options.ioError;
    this.stepCount = Math.max(1, Math.floor(options.steps ?? 2));
    this.interval = options.interval ?? 0;
  }

  /** Whether QEMU would call it paused (query-block-jobs' `paused`). */
  get paused(): boolean {
    return this.userPaused || this.status === 'paused' || this.status === 'standby';
  }

  /** Resolves once the job reaches `status` (at once if it has). */
  until(status: JobStatus): Promise<void> {
    if (this.status === status || (status !== 'null' && this.status === 'null')) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ status, resolve }));
  }

  /** One step of progress (what the job's own pace does by itself, unless `interval: 'manual'`). */
  step(): void {
    this.stepTimer = undefined;
    if (this.status !== 'running' || this.userPaused) return;
    if (this.pendingIoError !== undefined) return this.hitIoError(this.pendingIoError);
    const stride = this.len / BigInt(this.stepCount);
    this.offset = this.offset + stride >= this.len || stride === 0n ? this.len : this.offset + stride;
    if (this.offset < this.len) return this.schedule();
    if (this.needsComplete) {
      this.transition('ready');
      this.blockEvent('BLOCK_JOB_READY', this.progress());
      return;
    }
    this.succeed();
  }

  /** Fails the job now, as an I/O error QEMU reports would (action `report`). */
  fail(message = 'Input/output error'): void {
    if (this.status === 'concluded' || this.status === 'null' || this.status === 'aborting') return;
    this.clearTimers();
    this.error = message;
    this.abort();
  }

  // --- what the job commands do -----------------------------------------

  start(): void {
    this.transition('created');
    this.transition('running');
    this.schedule();
  }

  cancel(force: boolean, from: 'block-job-cancel' | 'job-cancel'): void {
    if (from === 'block-job-cancel' && this.userPaused && !force) {
      throw new CommandFailure('GenericError', `The block job for device '${this.id}' is currently paused`);
    }
    this.verb('cancel');
    if (this.status === 'concluded') return this.dismiss();
    const resumed = this.userPaused;
    this.userPaused = false;
    this.clearTimers();
    if (resumed && (this.status === 'paused' || this.status === 'standby')) this.transition(this.status === 'standby' ? 'ready' : 'running');
    // A job that waits to be completed completes instead, when the cancel is soft.
    if (!force && (this.status === 'ready' || this.status === 'standby')) {
      this.cancelTimer = this.host.later(() => this.succeed());
      return;
    }
    this.cancelRequested = true;
    this.cancelTimer = this.host.later(() => this.abort());
  }

  pause(): void {
    this.verb('pause');
    if (this.userPaused) throw new CommandFailure('GenericError', 'Job is already paused');
    this.userPaused = true;
    // The job pauses at its next pause point, after the reply.
    this.host.later(() => {
      if (!this.userPaused) return;
      if (this.status === 'running') this.transition('paused');
      else if (this.status === 'ready') this.transition('standby');
    });
  }

  resume(): void {
    if (!this.userPaused) throw new CommandFailure('GenericError', "Can't resume a job that was not paused");
    this.verb('resume');
    this.userPaused = false;
    this.ioStatus = 'ok';
    if (this.status === 'paused') this.transition('running');
    else if (this.status === 'standby') this.transition('ready');
    if (this.status === 'running' && this.stepTimer === undefined) this.schedule();
  }

  setSpeed(speed: bigint): void {
    this.verb('set-speed');
    if (speed < 0n) throw new CommandFailure('GenericError', "Parameter 'speed' expects a non-negative value");
    this.speed = speed;
  }

  complete(): void {
    this.verb('complete');
    if (this.cancelRequested || !this.needsComplete) throw new CommandFailure('GenericError', `The active block job '${this.id}' cannot be completed`);
    this.cancelTimer = this.host.later(() => this.succeed());
  }

  finalize(): void {
    this.verb('finalize');
    this.conclude();
  }

  dismiss(): void {
    this.verb('dismiss');
    this.transition('null');
    this.gone(this);
  }

  change(): void {
    this.verb('change');
  }

  /** Stops every timer (the peer is closing). */
  dispose(): void {
    this.clearTimers();
  }

  // --- the job's own course ---------------------------------------------

  private verb(verb: Verb): void {
    if (!VERBS[verb].includes(this.status)) {
      throw new CommandFailure('GenericError', `Job '${this.id}' in state '${this.status}' cannot accept command verb '${verb}'`);
    }
  }

  private schedule(): void {
    if (this.interval === 'manual' || this.stepTimer !== undefined) return;
    this.stepTimer = this.host.later(() => this.step(), this.interval);
  }

  private clearTimers(): void {
    this.stepTimer?.();
    this.stepTimer = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private hitIoError(e: JobIoError): void {
    this.pendingIoError = undefined;
    this.blockEvent('BLOCK_JOB_ERROR', { device: this.id, operation: e.operation, action: e.action });
    switch (e.action) {
      case 'report':
        this.error = e.message ?? 'Input/output error';
        return this.abort();
      case 'stop':
        this.ioStatus = 'failed';
        this.userPaused = true;
        this.transition('paused');
        return;
      case 'ignore':
        return this.schedule();
    }
  }

  /** The work is done: waiting, pending, then finalized unless it waits for job-finalize. */
  private succeed(): void {
    if (this.status === 'concluded' || this.status === 'null') return;
    this.clearTimers();
    this.transition('waiting');
    this.transition('pending');
    if (!this.autoFinalize) {
      this.blockEvent('BLOCK_JOB_PENDING', { type: this.type, id: this.id });
      return;
    }
    this.conclude();
  }

  /** A failed or cancelled job: aborting, then concluded. */
  private abort(): void {
    if (this.status === 'concluded' || this.status === 'null') return;
    this.transition('aborting');
    this.conclude();
  }

  /** Its final event (BLOCK_JOB_COMPLETED, with `error` when it failed;
   *  BLOCK_JOB_CANCELLED), concluded, and null unless it waits for job-dismiss. */
  private conclude(): void {
    if (this.status === 'aborting' && this.error === undefined) this.blockEvent('BLOCK_JOB_CANCELLED', this.progress());
    else this.blockEvent('BLOCK_JOB_COMPLETED', this.error === undefined ? this.progress() : { ...this.progress(), error: this.error });
    this.transition('concluded');
    if (this.autoDismiss) {
      this.transition('null');
      this.gone(this);
    }
  }

  private progress(): Record<string, unknown> {
    return { device: this.id, len: this.len, offset: this.offset, speed: this.speed, type: this.type };
  }

  private blockEvent(name: string, data: Record<string, unknown>): void {
    if (this.block) this.host.emit(name, data);
  }

  private transition(status: JobStatus): void {
    this.status = status;
    this.host.emit('JOB_STATUS_CHANGE', { id: this.id, status });
    for (const w of this.waiters.filter((w) => w.status === status || status === 'null')) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }
}

/** Every job, and what the job commands answer. */
export class JobSimulator {
  private readonly jobs = new Map<string, SimulatedJob>();

  constructor(private readonly host: JobHost) {}

  /**
   * Starts a job (from a handler of the command that starts it): its
   * `created` and `running` events go out before the command's reply.
   * An id in use or not well formed is refused as QEMU refuses it.
   */
  start(options: JobOptions): SimulatedJob {
    if (!ID.test(options.id)) throw new CommandFailure('GenericError', `Invalid job ID '${options.id}'`);
    if (this.jobs.has(options.id)) throw new CommandFailure('GenericError', `Job ID '${options.id}' already in use`);
    const job = new SimulatedJob(options, this.host, (j) => this.jobs.delete(j.id));
    this.jobs.set(job.id, job);
    job.start();
    return job;
  }

  /** The job of that id, if there is one. */
  get(id: string): SimulatedJob | undefined {
    return this.jobs.get(id);
  }

  /** Every job, oldest first. */
  list(): SimulatedJob[] {
    return [...this.jobs.values()];
  }

  dispose(): void {
    for (const job of this.jobs.values()) job.dispose();
  }

  /** block-job-*: a block job by id, else DeviceNotActive. */
  blockJob(id: string): SimulatedJob {
    const job = this.jobs.get(id);
    if (job === undefined || !job.block) throw new CommandFailure('DeviceNotActive', `Block job '${id}' not found`);
    return job;
  }

  /** job-*: any job by id, else GenericError. */
  job(id: string): SimulatedJob {
    const job = this.jobs.get(id);
    if (job === undefined) throw new CommandFailure('GenericError', 'Job not found');
    return job;
  }

  /** query-block-jobs' records (every member any release has; the peer
   *  keeps those its schema has). */
  blockJobInfo(): Record<string, unknown>[] {
    return this.list()
      .filter((j) => j.block)
      .map((j) => ({
        type: j.type,
        device: j.id,
        len: j.len,
        offset: j.offset,
        busy: j.status === 'running' && !j.userPaused,
        paused: j.paused,
        speed: j.speed,
        'io-status': j.ioStatus,
        ready: j.status === 'ready' || j.status === 'standby',
        status: j.status,
        'auto-finalize': j.autoFinalize,
        'auto-dismiss': j.autoDismiss,
        ...(j.error === undefined ? {} : { error: j.error }),
        ...(j.type === 'mirror' ? { 'actively-synced': false } : {}),
      }));
  }

  /** query-jobs' records. */
  jobInfo(): Record<string, unknown>[] {
    return this.list().map((j) => ({
      id: j.id,
      type: j.type,
      status: j.status,
      'current-progress': j.offset,
      'total-progress': j.len,
      ...(j.error === undefined ? {} : { error: j.error }),
    }));
  }
}
