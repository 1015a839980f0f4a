/**
 * Issue 10, the connect-time check against a live QEMU 7.2: bindings
 * generated from QEMU 10.2's schema (the default language) connect to
 * qemu-storage-daemon 7.2 with `checkSchema`; a block-commit using
 * `backing-mask-protocol`, which 7.2 lacks, is rejected locally with
 * QmpSchemaDriftError naming the member and the QEMU, and nothing of it
 * crosses the wire (a recording proxy sits between client and QEMU); the
 * same commit without it runs; the drift is a typed summary; a second
 * connection to the same QEMU version asks for no schema.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QmpSchemaDriftError, runBlockJob, type QmpTransport, type SchemaCache, type SchemaInfo, type TypeRegistry } from 'qapi-ts-runtime';
import { requireBinaries } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { loadBindings } from './helpers/bindings.js';
import { buildChain } from './helpers/chain.js';
import { startRecordingProxy } from './helpers/recording-proxy.js';
import { E2E_BINARIES, E2eScope } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'the connect-time schema check against QEMU 7.2');
const schema102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'the connect-time schema check with 10.2 bindings');

/** The 10.2 bindings, as generated into test/.out-e2e-102/. */
type Bindings102 = typeof import('../.out-e2e-102/index.js');

describe.skipIf(!qemu.available || !schema102.available)('10.2 bindings against qemu-storage-daemon 7.2, with checkSchema', () => {
  let b102: Bindings102;
  let scope: E2eScope;
  beforeAll(async () => {
    b102 = await loadBindings<Bindings102>({ release: '10.2' });
  }, 180_000);
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('rejects a call using an argument 7.2 lacks, with nothing on the wire; the same call without it runs', async () => {
    const chain = buildChain(scope.dir);
    const daemon = await scope.daemonWithChain(chain);
    const proxy = scope.adopt(await startRecordingProxy(scope.dir, daemon.socketPath));
    const cache: SchemaCache = new Map<string, readonly SchemaInfo[]>();
    const client = await scope.connect(proxy.path, b102.registry, { checkSchema: { cache, variant: 'qemu-storage-daemon' } });
    const qmp = new b102.QmpCommands(client);
    const commit = { 'job-id': 'commit0', device: 'top', 'top-node': 'mid', 'base-node': 'base' };

    const error = await qmp.blockCommit({ ...commit, 'backing-mask-protocol': true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpSchemaDriftError);
    const drift = error as QmpSchemaDriftError;
    expect(drift.command).toBe('block-commit');
    expect(drift.qemu).toMatch(/^QEMU 7\.2\.\d+/);
    expect(drift.refusals).toEqual([{ path: 'arguments["backing-mask-protocol"]', kind: 'unknown-member', message: 'unknown member' }]);
    expect(drift.message).toContain(`block-commit: not sent: ${drift.qemu} does not accept it`);
    // On the wire: the handshake and the one schema query, no block-commit.
    expect(proxy.sentMessages().map((m) => m.execute)).toEqual(['qmp_capabilities', 'query-qmp-schema']);
    expect(proxy.sent()).not.toContain('backing-mask-protocol');

    const done = await runBlockJob(client, () => qmp.blockCommit(commit), { pollInterval: 0 });
    expect(done.data).toMatchObject({ device: 'commit0', type: 'commit' });
    expect(done.data.error).toBeUndefined();

    // The drift summary names the same difference, among the others.
    expect(client.schemaDrift?.qemu).toBe(drift.qemu);
    expect(client.schemaDrift?.differences).toContainEqual({
      kind: 'member-missing',
      name: 'block-commit',
      path: 'arguments["backing-mask-protocol"]',
      refusesCalls: true,
      message: 'the QEMU has no such member',
    });

    // The version is known now: another connection (the monitor takes one
    // at a time) costs no schema query.
    await client.close();
    const before = proxy.sentMessages().length;
    const again = await scope.connect(proxy.path, b102.registry, { checkSchema: { cache, variant: 'qemu-storage-daemon' } });
    await expect(new b102.QmpCommands(again).blockCommit({ ...commit, 'backing-mask-protocol': false })).rejects.toBeInstanceOf(
      QmpSchemaDriftError,
    );
    expect(
      proxy
        .sentMessages()
        .slice(before)
        .map((m) => m.execute),
    ).toEqual(['qmp_capabilities']);
  });
});
