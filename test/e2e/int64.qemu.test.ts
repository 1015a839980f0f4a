/**
 * Issue 12, 64-bit integers through real QEMU 7.2 replies, in each --int64
 * mode: a paused block job's speed set to 2^53 + 1 and 2^63 - 1 and read
 * back with query-block-jobs; a node's write threshold (a uint64 argument,
 * read back as an int) set to 2^64 - 1 and 2^63, read back as -1 and -2^63;
 * the job's BLOCK_JOB_CANCELLED event carrying 2^63 - 1.  bigint mode is the
 * generated 7.2 bindings (the default mode); mixed and number are the same
 * schema's tables in those modes, run by the same CommandRunner over the
 * same connection.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CommandRunner,
  QapiValidationError,
  QmpInexactIntegerError,
  TypeRegistry,
  type Int64Mode,
  type QmpClient,
  type QmpTransport,
} from 'qapi-ts-runtime';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { requireBinaries } from '../helpers/qemu.js';
import { requireShared, SHARED } from '../helpers/shared.js';
import { schemaOf } from './helpers/bindings.js';
import { useBindings72, type Events72 } from './helpers/bindings72.js';
import { buildChain } from './helpers/chain.js';
import { E2E_BINARIES } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, '64-bit integers through QEMU 7.2');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', '64-bit integers through QEMU 7.2');

const P53 = 2n ** 53n + 1n;
const MAX63 = 2n ** 63n - 1n;
const MIN63 = -(2n ** 63n);
const MAX64 = 2n ** 64n - 1n;

type Runner = { execute(name: string, args?: Record<string, unknown>): Promise<unknown> };

describe.skipIf(!qemu.available || !schema.available)('64-bit integers through qemu-storage-daemon 7.2, by --int64 mode', () => {
  const e2e = useBindings72();
  let tables: ReturnType<typeof buildTables>;
  beforeAll(() => {
    tables = buildTables(loadSchema(join(SHARED, schemaOf({ release: '7.2' })), { qemuVersion: '7.2' }).model);
  });

  /** The 7.2 schema's runner in `mode`, over `transport`. */
  const runner = (transport: QmpTransport, mode: Int64Mode): Runner =>
    new CommandRunner(transport, new TypeRegistry([tables.types], [tables.commands], { int64: mode, events: [tables.events] }));

  async function pausedJob(): Promise<{ client: QmpClient<Events72>; modes: Record<Int64Mode, Runner> }> {
    const chain = buildChain(e2e.scope.dir, { bulkMiB: 8 });
    const daemon = await e2e.scope.daemonWithChain(chain);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const bigint = new e2e.bindings.QmpCommands(client);
    // 1 KiB/s over 8 MiB: the job is far from done when it is paused.
    await bigint.blockCommit({ 'job-id': 'slow', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 1024n });
    await bigint.execute('block-job-pause', { device: 'slow' });
    return { client, modes: { bigint, mixed: runner(client, 'mixed'), number: runner(client, 'number') } };
  }

  const speedOf = async (r: Runner): Promise<unknown> =>
    ((await r.execute('query-block-jobs')) as { device: string; speed: unknown }[]).find((j) => j.device === 'slow')?.speed;

  const thresholdOf = async (r: Runner): Promise<unknown> =>
    ((await r.execute('query-named-block-nodes', { flat: true })) as { 'node-name': string; write_threshold: unknown }[]).find(
      (n) => n['node-name'] === 'base',
    )?.write_threshold;

  it('a speed of 2^53 + 1 and 2^63 - 1 reads back exactly as bigint (bigint, mixed), and number mode refuses it with the digits', async () => {
    const { modes } = await pausedJob();
    for (const speed of [P53, MAX63]) {
      await modes.bigint.execute('block-job-set-speed', { device: 'slow', speed });
      expect(await speedOf(modes.bigint)).toBe(speed);
      expect(await speedOf(modes.mixed)).toBe(speed);
      const error = await speedOf(modes.number).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QmpInexactIntegerError);
      expect(error).toMatchObject({ where: 'query-block-jobs', path: 'return[0].speed', digits: `${speed}` });
    }
    await modes.bigint.execute('block-job-set-speed', { device: 'slow', speed: 4096n });
    expect(await speedOf(modes.bigint)).toBe(4096n);
    expect(await speedOf(modes.mixed)).toBe(4096);
    expect(await speedOf(modes.number)).toBe(4096);
  });

  it('each mode checks arguments as it types them, before anything is sent', async () => {
    const { modes } = await pausedJob();
    await expect(modes.bigint.execute('block-job-set-speed', { device: 'slow', speed: 4096 })).rejects.toBeInstanceOf(QapiValidationError);
    await expect(modes.number.execute('block-job-set-speed', { device: 'slow', speed: 2 ** 53 + 2 })).rejects.toThrow(
      /arguments\.speed: expected a safe integer/,
    );
    await expect(modes.number.execute('block-job-set-speed', { device: 'slow', speed: 4096n })).rejects.toBeInstanceOf(QapiValidationError);
    await modes.number.execute('block-job-set-speed', { device: 'slow', speed: 2 ** 53 - 1 });
    await modes.mixed.execute('block-job-set-speed', { device: 'slow', speed: 2 ** 40 });
    expect(await speedOf(modes.mixed)).toBe(2 ** 40);
  });

  it('a uint64 write threshold of 2^64 - 1 and 2^63 is accepted exactly, and reads back (as an int) as -1 and -2^63', async () => {
    const { modes } = await pausedJob();
    await modes.bigint.execute('block-set-write-threshold', { 'node-name': 'base', 'write-threshold': MAX64 });
    expect(await thresholdOf(modes.bigint)).toBe(-1n);
    expect(await thresholdOf(modes.mixed)).toBe(-1);
    await modes.mixed.execute('block-set-write-threshold', { 'node-name': 'base', 'write-threshold': 2n ** 63n });
    expect(await thresholdOf(modes.bigint)).toBe(MIN63);
    expect(await thresholdOf(modes.mixed)).toBe(MIN63);
    await expect(thresholdOf(modes.number)).rejects.toMatchObject({ reason: 'inexact-integer', digits: `${MIN63}` });
  });

  it('the BLOCK_JOB_CANCELLED event carries a speed of 2^63 - 1 exactly, read by the bindings the client connected with', async () => {
    const { client, modes } = await pausedJob();
    await modes.bigint.execute('block-job-set-speed', { device: 'slow', speed: MAX63 });
    const mark = client.eventMark();
    await modes.bigint.execute('block-job-cancel', { device: 'slow', force: true });
    const cancelled = await client.waitFor('BLOCK_JOB_CANCELLED', (e) => e.data.device === 'slow', { since: mark, timeout: 30_000 });
    expect(cancelled.data.speed).toBe(MAX63);
  });
});
