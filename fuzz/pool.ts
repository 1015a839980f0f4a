/**
 * A pool of long-lived child processes that run jobs in-process (fast: the
 * front end loads once per child), each job under three bounds: CPU time
 * (runaway computation, whatever else the machine is doing), wall time (a
 * job that waits, on a FIFO say, uses no CPU) and resident memory.  A child that overruns is killed (SIGKILL: a read
 * blocked on a FIFO or a C++ allocation loop cannot be interrupted any
 * other way) and replaced; a child that dies mid-job is reported as a crash.
 *
 * The child is any script that, once loaded, sends `{ ready: true }` and
 * then answers each `{ id, job }` message with `{ id, result }`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PoolOptions {
  /** The child's script. */
  readonly script: string;
  readonly size: number;
  /** CPU-time bound per job (user + system), in milliseconds. */
  readonly cpuMs: number;
  /** Wall-time bound per job, in milliseconds. */
  readonly wallMs: number;
  /** Resident-memory bound of a child, in bytes. */
  readonly memoryBytes: number;
  /** Flags for the child's node. */
  readonly execArgv?: readonly string[];
  /** How often memory and CPU time are sampled, in milliseconds. */
  readonly sampleMs?: number;
}

export interface Completed<R> {
  /** The child's answer; absent when the job was stopped. */
  readonly result?: R;
  readonly stopped?: Stop;
  /** For a crash: exit code or signal, and the end of the child's stderr. */
  readonly crash?: string;
  /** Wall time from sending the job to its end. */
  readonly ms: number;
  /** CPU time the child spent on the job (0 where /proc is not available). */
  readonly cpuMs: number;
  /** Highest resident set size sampled during the job (bytes; 0 where
   *  /proc is not available). */
  readonly peakRss: number;
}

export type Stop = 'cpu-time' | 'wall-time' | 'memory' | 'crash';

interface Pending<J, R> {
  readonly job: J;
  readonly resolve: (c: Completed<R>) => void;
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used, in milliseconds, from
 *  /proc (Linux; clock ticks of 10 ms). */
export function cpuMillis(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

class Slot<J, R> {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private stderrTail = '';
  private nextId = 0;

  constructor(private readonly options: PoolOptions) {}

  private start(): Promise<void> {
    this.stderrTail = '';
    const child = fork(this.options.script, [], {
      execArgv: [...(this.options.execArgv ?? [])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-2000);
    });
    this.child = child;
    const startBound = Math.max(30_000, this.options.wallMs);
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (m: { ready?: boolean }): void => {
        if (m?.ready) done();
      };
      const onExit = (code: number | null, signal: string | null): void => {
        done(new Error(`fuzz worker ${this.options.script} ended while starting (${signal ?? `exit ${code}`}): ${this.stderrTail.trim()}`));
      };
      const timer = setTimeout(() => done(new Error(`fuzz worker ${this.options.script} did not start within ${startBound} ms`)), startBound);
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }

  private kill(): void {
    const child = this.child;
    this.child = null;
    this.ready = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async run(job: J): Promise<Completed<R>> {
    this.ready ??= this.start();
    try {
      await this.ready;
    } catch (e) {
      this.kill();
      throw e;
    }
    const child = this.child!;
    const id = this.nextId++;
    const started = performance.now();
    const cpuAtStart = cpuMillis(child.pid!);
    let peakRss = 0;
    let cpuMs = 0;
    return new Promise<Completed<R>>((resolve) => {
      let settled = false;
      const finish = (c: Omit<Completed<R>, 'ms' | 'peakRss' | 'cpuMs'>, restart: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sampler);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (!restart) {
          peakRss = Math.max(peakRss, residentBytes(child.pid!));
          cpuMs = Math.max(cpuMs, cpuMillis(child.pid!) - cpuAtStart);
        }
        if (restart) this.kill();
        resolve({ ...c, ms: performance.now() - started, peakRss, cpuMs });
      };
      const onMessage = (m: { id?: number; result?: R }): void => {
        if (m?.id !== id) return;
        finish({ result: m.result as R }, false);
        // Garbage a child keeps between jobs must not count against the next.
        if (residentBytes(child.pid!) > this.options.memoryBytes / 2) this.kill();
      };
      const onExit = (code: number | null, signal: string | null): void => {
        const how = signal ?? `exit code ${code}`;
        const tail = this.stderrTail.trim();
        finish({ stopped: 'crash', crash: tail ? `${how}; stderr ends: ${tail.slice(-500)}` : how }, true);
      };
      // When a bound passes, an answer may already wait unread (this
      // process was busy): the poll phase before setImmediate reads it.
      const stop = (why: Stop): void => {
        setImmediate(() => finish({ stopped: why }, true));
      };
      // A timer counts on the event loop's clock (whole milliseconds of a
      // coarse clock, read as the loop turns), which may stand a little
      // behind the one `started` is read from: a timer that fires before
      // the bound has passed by that one is set again for what is left, so
      // a job stopped for its time ran all of it (the pool's test holds
      // `ms >= wallMs`; it once saw 999.9 of 1000 under load).
      const wallTimer = (): void => {
        const left = this.options.wallMs - (performance.now() - started);
        if (left > 0) timer = setTimeout(wallTimer, Math.ceil(left));
        else stop('wall-time');
      };
      let timer = setTimeout(wallTimer, this.options.wallMs);
      const sampler = setInterval(() => {
        const rss = residentBytes(child.pid!);
        peakRss = Math.max(peakRss, rss);
        cpuMs = Math.max(cpuMs, cpuMillis(child.pid!) - cpuAtStart);
        if (rss > this.options.memoryBytes) finish({ stopped: 'memory' }, true);
        else if (cpuMs > this.options.cpuMs) stop('cpu-time');
      }, this.options.sampleMs ?? 20);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, job });
    });
  }

  close(): void {
    this.kill();
  }
}

export class WorkerPool<J, R> {
  private readonly idle: Slot<J, R>[];
  private readonly all: Slot<J, R>[];
  private readonly queue: Pending<J, R>[] = [];

  constructor(options: PoolOptions) {
    this.all = Array.from({ length: Math.max(1, options.size) }, () => new Slot<J, R>(options));
    this.idle = [...this.all];
  }

  run(job: J): Promise<Completed<R>> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const slot = this.idle.pop()!;
      const { job, resolve } = this.queue.shift()!;
      slot.run(job).then(
        (c) => {
          this.idle.push(slot);
          resolve(c);
          this.dispatch();
        },
        (e: unknown) => {
          // The child could not even start: report it as a crash of this job.
          this.idle.push(slot);
          resolve({ stopped: 'crash', crash: e instanceof Error ? e.message : String(e), ms: 0, peakRss: 0, cpuMs: 0 });
          this.dispatch();
        },
      );
    }
  }

  close(): void {
    for (const slot of this.all) slot.close();
  }
}
