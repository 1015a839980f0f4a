/**
 * watchSchema's idle work (WatchOptions.warmUp): it starts once no change
 * has been seen for a while after a run; a change seen stops it at once
 * (its signal is aborted when the file event comes, before the quiet time
 * ends), and the change's run starts once it has returned; the end of
 * watching stops it too.  A change that comes sooner is run with no idle
 * work before it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchSchema } from '../../generator/cli/watch.js';

const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-watch-idle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A promise and what settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Watched {
  readonly events: string[];
  readonly runs: number;
  readonly file: string;
}

/** Watches a file of its own until its second run, then stops; what
 *  happened, in order (`run N`, `change`, and what the hooks add). */
async function watchTwoRuns(
  name: string,
  hooks: { idleDelay: number; onWatching?: (w: Watched) => void; warmUp: (w: Watched) => Promise<void> },
): Promise<string[]> {
  const file = join(dir, name);
  writeFileSync(file, 'first');
  const events: string[] = [];
  const stop = new AbortController();
  const secondRun = deferred();
  let runs = 0;
  const now = (): Watched => ({ events, runs, file });
  const watching = watchSchema({
    signal: stop.signal,
    idleDelay: hooks.idleDelay,
    run: async () => {
      runs++;
      events.push(`run ${runs}`);
      if (runs === 2) secondRun.resolve();
      return [file];
    },
    ...(hooks.onWatching ? { onWatching: () => hooks.onWatching!(now()) } : {}),
    onChange: () => events.push('change'),
    warmUp: () => hooks.warmUp(now()),
  });
  await secondRun.promise;
  stop.abort();
  await watching;
  return events;
}

describe('watchSchema: idle work', () => {
  it('runs after a run; a change stops it at once, and its run follows once it has returned', async () => {
    const file = join(dir, 'schema.json');
    writeFileSync(file, 'first');
    const events: string[] = [];
    const stop = new AbortController();
    const secondIdle = deferred();
    let runs = 0;
    const watching = watchSchema({
      signal: stop.signal,
      idleDelay: 0,
      run: async () => {
        runs++;
        events.push(`run ${runs}`);
        return [file];
      },
      onChange: () => events.push('change'),
      warmUp: (signal) => {
        events.push('idle work starts');
        if (runs === 2) secondIdle.resolve();
        if (runs === 1) {
          // Once the idle work is under way, a change comes.
          writeFileSync(file, 'second');
        }
        return new Promise<void>((resolve) => {
          const stopped = (): void => {
            events.push('idle work stopped');
            // It finishes the step under way: the change's run waits.
            void Promise.resolve().then(() => {
              events.push('idle work returns');
              resolve();
            });
          };
          if (signal.aborted) stopped();
          else signal.addEventListener('abort', stopped, { once: true });
        });
      },
    });
    // The end of watching stops the idle work after the second run.
    await secondIdle.promise;
    stop.abort();
    await watching;
    expect(events).toEqual(['run 1', 'idle work starts', 'idle work stopped', 'idle work returns', 'change', 'run 2', 'idle work starts', 'idle work stopped', 'idle work returns']);
  });

  it('a change within the idle delay is run with no idle work before it', async () => {
    const events = await watchTwoRuns('soon.json', {
      idleDelay: 600_000,
      // The change comes as soon as the file is watched.
      onWatching: ({ runs, file }) => {
        if (runs === 1) writeFileSync(file, 'second');
      },
      warmUp: async ({ events }) => void events.push('idle work'),
    });
    expect(events).toEqual(['run 1', 'change', 'run 2']);
  });

  it('idle work that fails leaves the watch going: the next change is run', async () => {
    const events = await watchTwoRuns('fails.json', {
      idleDelay: 0,
      warmUp: async ({ events, runs, file }) => {
        events.push('idle work fails');
        // The change comes once the idle work has failed.
        if (runs === 1) setImmediate(() => writeFileSync(file, 'second'));
        throw new Error('a file changed under it');
      },
    });
    expect(events.slice(0, 4)).toEqual(['run 1', 'idle work fails', 'change', 'run 2']);
  });
});
