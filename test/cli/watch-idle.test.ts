/**
 * watchSchema's idle work (WatchOptions.warmUp): it starts after a run,
 * once the files are watched; a change seen stops it at once (its signal
 * is aborted when the file event comes, before the quiet time ends), and
 * the change's run starts once it has returned; the end of watching stops
 * it too.
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

describe('watchSchema: idle work', () => {
  it('runs after a run; a change stops it at once, and its run follows once it has returned', async () => {
    const file = join(dir, 'schema.json');
    writeFileSync(file, 'first');
    const events: string[] = [];
    const stop = new AbortController();
    const secondRun = deferred();
    let runs = 0;
    /** What the idle work does once stopped, before it returns. */
    let stopping: Promise<void> | null = null;
    const watching = watchSchema({
      signal: stop.signal,
      run: async () => {
        runs++;
        events.push(`run ${runs}`);
        if (runs === 2) secondRun.resolve();
        return [file];
      },
      onChange: () => events.push('change'),
      warmUp: (signal) => {
        events.push('idle work starts');
        if (runs === 1) {
          // Once the idle work is under way, a change comes.
          writeFileSync(file, 'second');
        }
        return new Promise<void>((resolve) => {
          const stopped = (): void => {
            events.push('idle work stopped');
            // It finishes the step under way: the change's run waits.
            stopping = Promise.resolve().then(() => {
              events.push('idle work returns');
              resolve();
            });
          };
          if (signal.aborted) stopped();
          else signal.addEventListener('abort', stopped, { once: true });
        });
      },
    });
    await secondRun.promise;
    await stopping;
    stop.abort();
    await watching;
    expect(events).toEqual(['run 1', 'idle work starts', 'idle work stopped', 'idle work returns', 'change', 'run 2', 'idle work starts', 'idle work stopped', 'idle work returns']);
  });
});
