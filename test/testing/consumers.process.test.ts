/**
 * Issue 18, must show 1: the README's main example and examples/consumer,
 * unchanged, run against the peer with no QEMU installed: each its own
 * Node process, connecting to the peer's unix socket as to QEMU, with the
 * connect-time schema check on (the peer's query-qmp-schema, from the
 * same bindings, leaves nothing to refuse), committing by runBlockJob to
 * BLOCK_JOB_COMPLETED.  The peer's record shows what each program sent.
 * (test/e2e/readme-example.qemu.test.ts and test/package/consumer.qemu.test.ts run
 * them against real QEMU.)
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { registry, type Commands, type Events } from '../../generated/index.js';
import { buildConsumer, programFolder, readmeBindings, runProgram, writeReadmeProgram } from './helpers/consumer-programs.js';

const folder = programFolder('fake-consumers');
afterAll(() => folder.dispose());

let peer: QmpPeer<Commands, Events>;
let socket: string;
afterEach(async () => {
  await peer.close();
});

/** A peer standing in for QEMU with drive0: block-commit starts a commit job of drive0. */
async function startPeer(name: string): Promise<void> {
  const p = new QmpPeer({ bindings: registry });
  p.handle('block-commit', (args) => {
    if (args.device !== 'drive0') throw new Error(`unexpected device ${args.device}`);
    p.jobs.start({ id: args.device, type: 'commit', len: 64 << 20, steps: 4, interval: 5 });
  });
  peer = p;
  socket = join(folder.dir, `${name}.sock`);
  await p.listen({ path: socket });
}

describe("the README's main example, against the peer", () => {
  it('commits drive0, printing progress and the completion event', async () => {
    // A peer of the bindings the README builds with (QEMU 10.0's): its
    // query-qmp-schema is theirs, so the schema check refuses nothing.
    const bindings = await readmeBindings();
    const { registry: registry100 } = (await import(join(bindings, 'index.js'))) as { registry: typeof registry };
    const p = new QmpPeer({ bindings: registry100 });
    p.handle('block-commit', (args) => {
      const { 'job-id': id, device } = args as { 'job-id'?: string; device: string };
      if (device !== 'drive0') throw new Error(`unexpected device ${device}`);
      p.jobs.start({ id: id ?? device, type: 'commit', len: 64 << 20, steps: 4, interval: 5 });
    });
    peer = p;
    socket = join(folder.dir, 'readme.sock');
    await p.listen({ path: socket });
    const program = await writeReadmeProgram(folder.dir);
    const r = await runProgram(program, [socket]);
    expect(r.output).toMatch(/^BLOCK_JOB_COMPLETED: 67108864 bytes$/m);
    expect(r.output).toMatch(/^\d+ of 67108864 bytes$/m);
    expect(r.code).toBe(0);
    expect(peer.calls.map((c) => [c.command, c.arguments])).toEqual(
      expect.arrayContaining([
        ['qmp_capabilities', undefined],
        ['query-qmp-schema', undefined],
        ['block-commit', { 'job-id': 'commit0', device: 'drive0' }],
        ['query-block-jobs', undefined],
      ]),
    );
  });
});

describe('examples/consumer, against the peer', () => {
  let main: string;
  beforeAll(async () => {
    main = await buildConsumer(folder.dir);
  }, 120_000);

  it('connects with the schema check, commits with progress, and prints the completion', async () => {
    await startPeer('consumer');
    const r = await runProgram(main, ['--socket', socket, '--top', 'mid.qcow2']);
    expect(r.output).toMatch(/^connected to QEMU 10\.0\.2$/m);
    expect(r.output).toMatch(/^schema check: 0 difference\(s\) that could refuse a call$/m);
    expect(r.output).toMatch(/^progress \d+\/67108864$/m);
    expect(r.output).toMatch(/^completed \{"type":"commit","device":"drive0","len":"67108864","offset":"67108864","speed":"0"\}$/m);
    expect(r.code).toBe(0);
    expect(peer.callsOf('block-commit')).toEqual([{ device: 'drive0', top: 'mid.qcow2' }]);
    expect(peer.calls.map((c) => c.command).slice(0, 4)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'query-version', 'block-commit']);
  });
});
