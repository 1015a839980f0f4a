/**
 * The fuzz pool's bounds, with a child that misbehaves on request: a job
 * that computes forever is stopped at the CPU-time bound, one that waits
 * forever at the wall-time bound, one that hoards memory at the memory bound, one whose process dies is a crash; after each, the
 * next job runs in a fresh child.  An answer that arrived while the pool's
 * own process was busy counts as an answer, not a timeout.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../fuzz/pool.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const script = join(PROJECT_ROOT, 'test', 'fixtures', 'fuzz', 'behaviour-worker.mjs');
type Job = { do: string; value?: number; code?: number; marker?: string };

const MiB = 2 ** 20;
const LOOSE = { cpuMs: 60_000, wallMs: 120_000, memoryBytes: 1024 * MiB };
// One pool per bound, the others loose, so that which bound stops a job
// does not depend on how loaded the machine is.
const WALL = 1000;
const CPU = 500;
const wallBound = new WorkerPool<Job, number>({ script, size: 1, ...LOOSE, wallMs: WALL });
const cpuBound = new WorkerPool<Job, number>({ script, size: 1, ...LOOSE, cpuMs: CPU });
// Filling memory page by page is slow on a loaded machine: a low bound.
const memoryBound = new WorkerPool<Job, number>({ script, size: 1, ...LOOSE, memoryBytes: 160 * MiB });
const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-pool-'));
afterAll(() => {
  wallBound.close();
  cpuBound.close();
  memoryBound.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WorkerPool', () => {
  it('returns the answer of a job that behaves', async () => {
    const done = await wallBound.run({ do: 'echo', value: 7 });
    expect(done.result).toBe(7);
    expect(done.stopped).toBeUndefined();
    expect(done.peakRss).toBeGreaterThan(0);
  });

  it.each([
    ['computes forever', cpuBound, { do: 'spin' }, 'cpu-time'],
    ['waits forever', wallBound, { do: 'idle' }, 'wall-time'],
    ['hoards memory', memoryBound, { do: 'grow' }, 'memory'],
    ['ends its process', wallBound, { do: 'exit', code: 3 }, 'crash'],
  ] as const)('stops a job that %s, then runs the next in a fresh child', async (_name, pool, job, stopped) => {
    const done = await pool.run(job);
    expect(done.stopped).toBe(stopped);
    expect(done.result).toBeUndefined();
    if (stopped === 'cpu-time') expect(done.cpuMs).toBeGreaterThan(CPU);
    if (stopped === 'wall-time') {
      expect(done.ms).toBeGreaterThanOrEqual(WALL);
      expect(done.cpuMs).toBeLessThan(WALL / 2);
    }
    if (stopped === 'memory') expect(done.peakRss).toBeGreaterThan(160 * MiB);
    if (stopped === 'crash') expect(done.crash).toMatch(/exit code 3/);
    expect((await pool.run({ do: 'echo', value: 1 })).result).toBe(1);
  });

  it('takes an answer that waited while this process was busy past the bound', async () => {
    await wallBound.run({ do: 'echo', value: 0 }); // the child is up
    const marker = join(dir, 'sent');
    const started = Date.now();
    const pending = wallBound.run({ do: 'echo-and-mark', value: 42, marker });
    await new Promise((resolve) => setImmediate(resolve)); // the job is sent
    // Busy, not waiting: the answer arrives (the child marks it sent) while
    // this thread cannot read it, and the time bound passes.
    while (!existsSync(marker));
    while (Date.now() - started < WALL + 200);
    const done = await pending;
    expect(done.stopped).toBeUndefined();
    expect(done.result).toBe(42);
  });
});
