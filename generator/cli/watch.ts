/**
 * `generate --watch`: regenerate whenever a file of the schema changes,
 * included files too.  The set of watched files is refreshed after every
 * run, since includes may come and go.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface WatchOptions {
  /** Runs one generation; returns the schema files it read (absolute). */
  readonly run: () => Promise<readonly string[]>;
  /** Ends watching. */
  readonly signal: AbortSignal;
  /** Quiet time after a change before regenerating, in ms (default
   *  DEBOUNCE_MS). */
  readonly debounce?: number;
  /** Called when a change was seen, before the run. */
  readonly onChange?: (file: string) => void;
  /** Called once the files are watched (after each run): a change made
   *  from then on is seen. */
  readonly onWatching?: (files: readonly string[]) => void;
  /** Work for idle time, once no change has been seen for `idleDelay`
   *  after a run: `signal` is aborted as soon as a change is seen (or
   *  watching ends), and the change's run starts once the returned promise
   *  settles, so the work stops at its next chance. */
  readonly warmUp?: (signal: AbortSignal) => Promise<void>;
  /** How long after a run, with no change seen, idle work starts, in ms
   *  (default IDLE_MS). */
  readonly idleDelay?: number;
}

/** How long a watch waits after a change for the next one: an editor's
 *  save is a burst of events a few milliseconds apart (a write, or a write
 *  and a rename), and a regeneration after an edit takes tens of
 *  milliseconds, so waiting longer would be most of the delay. */
export const DEBOUNCE_MS = 25;

/** How long a watch waits after a run, with no change seen, before its
 *  idle work: someone saving again and again (or a tool rewriting the
 *  schema) is not made to wait for it, while someone who started the
 *  watch and then reads or types finds it done before the next save. */
export const IDLE_MS = 500;

/** Watches directories rather than files: editors often save by replacing
 *  a file, which ends a watch on the file itself. */
export async function watchSchema(options: WatchOptions): Promise<void> {
  const debounce = options.debounce ?? DEBOUNCE_MS;
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  /** A change seen and not yet run for. */
  let pending = false;
  let running: Promise<void> = Promise.resolve();
  /** Stops the idle work under way. */
  let idle: AbortController | null = null;
  const stopIdle = (): void => idle?.abort();
  options.signal.addEventListener('abort', stopIdle, { once: true });

  const closeAll = (): void => {
    for (const w of watchers) w.close();
    watchers = [];
  };

  const arm = (files: readonly string[]): void => {
    closeAll();
    const byDir = new Map<string, Set<string>>();
    for (const f of files) {
      const names = byDir.get(dirname(f)) ?? new Set<string>();
      names.add(basename(f));
      byDir.set(dirname(f), names);
    }
    for (const [dir, names] of byDir) {
      const w = watch(dir, (_event, name) => {
        if (name !== null && names.has(name.toString())) schedule(`${dir}/${name.toString()}`);
      });
      watchers.push(w);
    }
  };

  const runAndArm = async (): Promise<void> => {
    const files = await options.run();
    if (options.signal.aborted) return;
    arm(files);
    options.onWatching?.(files);
    const warmUp = options.warmUp;
    if (warmUp === undefined || pending) return;
    idleTimer = setTimeout(() => {
      // In the chain of runs: a change's run waits for it to return.
      running = running.then(async () => {
        if (pending || options.signal.aborted) return;
        idle = new AbortController();
        try {
          await warmUp(idle.signal);
        } catch {
          // Idle work only makes the next run faster: whatever stopped it
          // (a file that changed under it), the next run reads afresh and
          // says what is wrong, and the watch goes on.
        } finally {
          idle = null;
        }
      });
    }, options.idleDelay ?? IDLE_MS);
  };

  const schedule = (file: string): void => {
    // The change wins over idle work at once, not after the quiet time.
    clearTimeout(idleTimer);
    stopIdle();
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = false;
      options.onChange?.(file);
      running = running.then(runAndArm);
    }, debounce);
  };

  running = runAndArm();
  await running;
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  clearTimeout(idleTimer);
  closeAll();
  await running;
}
