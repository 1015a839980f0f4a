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
}

/** How long a watch waits after a change for the next one: an editor's
 *  save is a burst of events a few milliseconds apart (a write, or a write
 *  and a rename), and a regeneration after an edit takes tens of
 *  milliseconds, so waiting longer would be most of the delay. */
export const DEBOUNCE_MS = 25;

/** Watches directories rather than files: editors often save by replacing
 *  a file, which ends a watch on the file itself. */
export async function watchSchema(options: WatchOptions): Promise<void> {
  const debounce = options.debounce ?? DEBOUNCE_MS;
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

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
  };

  const schedule = (file: string): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      options.onChange?.(file);
      running = running.then(runAndArm);
    }, debounce);
  };

  await runAndArm();
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  closeAll();
  await running;
}
