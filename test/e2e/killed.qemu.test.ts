/**
 * Issue 4, e2e 6: QEMU killed (SIGKILL) while a speed-limited commit runs.
 * Everything outstanding on the client (the job being followed, event
 * waiters, an event iterator, unanswered commands) must settle at once with
 * QmpConnectionError: no hang, no unhandled rejection. Run against both
 * servers, each through its own bindings.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QmpConnectionError, runBlockJob, type QmpClient } from 'qapi-ts-runtime';
import { QmpCommands, registry as defaultRegistry } from '../../generated/index.js';
import { requireShared } from '../helpers/shared.js';
import { backingChain, requireBinaries, type QmpProcess } from '../helpers/qemu.js';
import { loadBindings72, type Bindings72, type Events72 } from './helpers/bindings72.js';
import { buildChain, GUEST_VIEW, mismatches, type Chain } from './helpers/chain.js';
import { E2E_BINARIES, E2eScope } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end QEMU killed mid-job');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'end-to-end tests with the QEMU 7.2 bindings');

/** Slow enough that the job is certainly still running when QEMU dies. */
const SPEED = 256n * 1024n;
/** Not a timing assertion: turns a hang into a readable failure long before the test timeout. */
const HANG_GUARD_MS = 15_000;

interface Setup {
  proc: QmpProcess;
  client: QmpClient<Events72>;
  jobId: string;
  startJob(): Promise<void>;
  queryJobs(): Promise<{ device: string; status: string; offset: number | bigint; len: number | bigint }[]>;
}

type Server = 'qemu-storage-daemon (7.2 bindings)' | 'qemu-system-x86_64 (default bindings)';

function guard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    const fail = (): void => reject(new Error(`${what}: still unsettled ${HANG_GUARD_MS} ms after QEMU was killed`));
    timer = setTimeout(fail, HANG_GUARD_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** Lets pending rejections be reported as unhandled if nobody handled them. */
const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe.skipIf(!qemu.available || !schema.available)('QEMU killed in the middle of a block job', () => {
  let bindings: Bindings72;
  let scope: E2eScope;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeAll(async () => {
    bindings = await loadBindings72();
  }, 180_000);
  beforeEach(() => {
    scope = new E2eScope();
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await scope.dispose();
  });

  async function setUp(server: Server, chain: Chain): Promise<Setup> {
    if (server.startsWith('qemu-storage-daemon')) {
      const proc = await scope.daemonWithChain(chain);
      const client = await scope.connect(proc.socketPath, bindings.registry);
      const qmp = new bindings.QmpCommands(client);
      return {
        proc,
        client,
        jobId: 'doomed',
        startJob: () =>
          qmp.blockCommit({ 'job-id': 'doomed', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: SPEED }),
        queryJobs: () => qmp.queryBlockJobs(),
      };
    }
    const proc = await scope.systemWithDrive(chain);
    const client = await scope.connect(proc.socketPath, defaultRegistry);
    const qmp = new QmpCommands(client);
    // The default bindings' job events carry what the 7.2 view of them reads.
    const viewed = client as unknown as QmpClient<Events72>;
    return {
      proc,
      client: viewed,
      jobId: 'drive0',
      startJob: () => qmp.blockCommit({ device: 'drive0', top: chain.mid, speed: SPEED }),
      queryJobs: () => qmp.queryBlockJobs(),
    };
  }

  it.each<Server>(['qemu-storage-daemon (7.2 bindings)', 'qemu-system-x86_64 (default bindings)'])(
    '%s: the job, waiters, an iterator and unanswered commands all reject with QmpConnectionError',
    async (server) => {
      const chain = buildChain(scope.dir, { bulkMiB: 32 });
      const { proc, client, jobId, startJob, queryJobs } = await setUp(server, chain);

      const mark = client.eventMark();
      const job = runBlockJob(client, startJob, { jobId, pollInterval: 50 });
      await client.waitFor('JOB_STATUS_CHANGE', (e) => e.data.id === jobId && e.data.status === 'running', {
        since: mark,
        timeout: 10_000,
      });
      const [info] = await queryJobs();
      expect(info).toMatchObject({ device: jobId, status: 'running' });
      expect(Number(info!.offset)).toBeLessThan(Number(info!.len));

      // Everything a program might be waiting on when QEMU dies.
      const completed = client.waitFor('BLOCK_JOB_COMPLETED', (e) => e.data.device === jobId, { since: 'now' });
      const ready = client.waitFor('BLOCK_JOB_READY');
      const closed = new Promise((resolve) => client.onClose(resolve));
      const iterated = (async () => {
        const names: string[] = [];
        for await (const event of client.events()) names.push(event.event);
        return names;
      })();
      // Frozen first, so these two commands are certainly still unanswered at the kill.
      proc.kill('SIGSTOP');
      const pendingQuery = queryJobs();
      const pendingRaw = client.execute('query-version');
      proc.kill('SIGKILL');

      const results = await guard(
        Promise.allSettled([job, completed, ready, pendingQuery, pendingRaw]),
        'pending work',
      );
      for (const [i, result] of results.entries()) {
        expect(result.status, `promise #${i}`).toBe('rejected');
        expect((result as PromiseRejectedResult).reason, `promise #${i}`).toBeInstanceOf(QmpConnectionError);
      }
      // The job's rejection names the job; the commands' name the command.
      expect(String((results[0] as PromiseRejectedResult).reason.message)).toContain(`job ${jobId}`);
      expect(String((results[3] as PromiseRejectedResult).reason.message)).toContain('query-block-jobs');
      expect(await guard(closed, 'onClose')).toBeInstanceOf(QmpConnectionError);
      // The iterator just ends; nothing arrived between the kill and its end.
      expect(await guard(iterated, 'event iterator')).toEqual([]);

      // Later use fails fast rather than hanging.
      expect(client.closed).toBe(true);
      await expect(guard(queryJobs(), 'command after close')).rejects.toBeInstanceOf(QmpConnectionError);
      await expect(client.waitFor('BLOCK_JOB_CANCELLED')).rejects.toBeInstanceOf(QmpConnectionError);

      await proc.exited;
      expect(proc.child.signalCode).toBe('SIGKILL');
      await turns(3);
      expect(unhandled).toEqual([]);

      // A commit killed half-way leaves the chain and the guest's view as they were.
      expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
      expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
    },
  );
});
