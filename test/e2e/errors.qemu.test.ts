/**
 * Issue 4, e2e 4: error paths of block-commit against qemu-system-x86_64,
 * through the default bindings, with every byte the client sends recorded
 * by a relay between it and QEMU.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpError, type QmpClient } from 'qapi-ts-runtime';
import { isQmpError, QapiValidationError, QmpCommands, registry, type BlockCommitArguments, type Events } from '../../generated/index.js';
import { requireBinaries } from '../helpers/qemu.js';
import { buildChain } from './helpers/chain.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';
import { E2E_BINARIES, E2eScope } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end block-commit error paths');

describe.skipIf(!qemu.available)('block-commit error paths against qemu-system-x86_64', () => {
  let scope: E2eScope;
  let proxy: RecordingProxy;
  let client: QmpClient<Events>;
  let qmp: QmpCommands;
  let mid: string;

  beforeEach(async () => {
    scope = new E2eScope();
    const chain = buildChain(scope.dir);
    mid = chain.mid;
    const vm = await scope.systemWithDrive(chain);
    proxy = scope.adopt(await startRecordingProxy(scope.dir, vm.socketPath));
    client = await scope.connect(proxy.path, registry);
    qmp = new QmpCommands(client);
  });
  afterEach(async () => {
    await scope.dispose();
  });

  /** The commands that crossed the wire, in order. */
  const sentCommands = (): unknown[] => proxy.sentMessages().map((m) => m.execute);

  it('an unknown device is QEMU\'s DeviceNotFound, as a typed QmpError', async () => {
    const error = await qmp.blockCommit({ device: 'no-such-drive', top: mid }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    expect(isQmpError(error, 'block-commit')).toBe(true);
    expect(error).toMatchObject({ command: 'block-commit', errorClass: 'DeviceNotFound' });
    expect((error as QmpError).desc).toContain('no-such-drive');
    expect(sentCommands()).toEqual(['qmp_capabilities', 'block-commit']);
    // The failure left the connection and the drive usable.
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });

  it('rejects speed: "fast" locally with nothing sent, and QEMU rejects it too when sent raw', async () => {
    const before = proxy.sent();
    expect(sentCommands()).toEqual(['qmp_capabilities']);

    const bad = { device: 'drive0', top: mid, speed: 'fast' } as unknown as BlockCommitArguments;
    const local = await qmp.blockCommit(bad).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(QapiValidationError);
    expect((local as QapiValidationError).problems).toEqual(['arguments.speed: expected an integer, got "fast"']);

    // A command sent after the rejected one comes back through the relay, so
    // anything written before it has been through the relay too: the rejected
    // call wrote nothing at all.
    expect(await qmp.queryBlockJobs()).toEqual([]);
    expect(proxy.sent().startsWith(before)).toBe(true);
    expect(sentCommands()).toEqual(['qmp_capabilities', 'query-block-jobs']);
    expect(proxy.sent()).not.toContain('fast');

    // The same arguments, raw: QEMU's own input visitor refuses them.
    const remote = await client.execute('block-commit', bad as unknown as Record<string, unknown>).catch((e: unknown) => e);
    expect(remote).toBeInstanceOf(QmpError);
    expect(remote).toMatchObject({ command: 'block-commit', errorClass: 'GenericError' });
    expect((remote as QmpError).desc).toMatch(/speed/);
    expect(sentCommands()).toEqual(['qmp_capabilities', 'query-block-jobs', 'block-commit']);
    expect(proxy.sentMessages()[2]!.arguments).toEqual({ device: 'drive0', top: mid, speed: 'fast' });

    // Neither attempt started a job.
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });

  it('reports every problem of a badly wrong call at once, still sending nothing', async () => {
    const worse = { top: 42, speed: -1.5, base: null, extra: true } as unknown as BlockCommitArguments;
    const local = await qmp.blockCommit(worse).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(QapiValidationError);
    const problems = (local as QapiValidationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^arguments\.device: /),
        expect.stringMatching(/^arguments\.top: /),
        expect.stringMatching(/^arguments\.speed: /),
        expect.stringMatching(/^arguments\.base: /),
        expect.stringMatching(/^arguments\.extra: /),
      ]),
    );
    expect(await qmp.queryBlockJobs()).toEqual([]);
    expect(sentCommands()).toEqual(['qmp_capabilities', 'query-block-jobs']);
  });
});
