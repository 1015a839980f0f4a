/**
 * The Standard Schema validators of QEMU 10.0's bindings against QEMU
 * 10.0.2's qemu-storage-daemon: requests as a program receives them (JSON
 * text, from a form or another process) go through a tRPC procedure whose
 * input is `blockdevAddArguments`, a consumer of any Standard Schema
 * validator; what it lets through is sent and QEMU opens the node, what it
 * refuses names each problem by its path and never reaches QEMU.  The
 * same validator, asked directly, answers as QEMU's own schema check would
 * for a value the bindings' types cannot rule out.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { createImage, requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { SCHEMA_100, useBindings100 } from './helpers/bindings100.js';
import { join } from 'node:path';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img'], 'Standard Schema validators on QEMU 10.0.2');
const schema = requireShared(SCHEMA_100, 'Standard Schema validators with the QEMU 10.0 bindings');

describe.skipIf(!qemu10.available || !schema.available)('QEMU 10.0.2: arguments validated through ~standard, then sent', () => {
  const e2e = useBindings100();

  it('a tRPC procedure sends what blockdevAddArguments lets through, and refuses the rest before QEMU sees it', async () => {
    const image = join(e2e.scope.dir, 'disk.qcow2');
    createImage(image, '16M', { qemu: qemu10 });
    const daemon = await e2e.scope.daemon(qemu10);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const { blockdevAdd, blockdevAddArguments, queryNamedBlockNodes } = e2e.bindings;
    const sent: string[] = [];
    const t = initTRPC.create();
    const router = t.router({
      addNode: t.procedure.input(blockdevAddArguments).mutation(async ({ input }) => {
        sent.push(input['node-name'] ?? '');
        await blockdevAdd(client, input);
        return input['node-name'];
      }),
    });
    const caller = t.createCallerFactory(router)({});
    const request = (json: string): Promise<unknown> => caller.addNode(JSON.parse(json) as never);

    // A union (by driver), a member given by reference or inline (an alternate).
    const file = `{ "driver": "file", "node-name": "disk-file", "filename": ${JSON.stringify(image)} }`;
    expect(await request(file)).toBe('disk-file');
    expect(await request('{ "driver": "qcow2", "node-name": "disk", "file": "disk-file", "read-only": true }')).toBe('disk');

    const refused = await request('{ "driver": "qcow2", "node-name": "bad", "file": { "driver": "file", "filename": 7 }, "cache": { "direct": "yes" }, "discard": "sometimes" }').catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('BAD_REQUEST');
    expect((refused as TRPCError).cause).toMatchObject({
      issues: [
        { message: expect.stringMatching(/^expected one of "ignore", "unmap", got "sometimes"/) as unknown, path: ['discard'] },
        { message: 'expected a boolean, got "yes"', path: ['cache', 'direct'] },
        { message: 'expected a string, got 7', path: ['file', 'filename'] },
      ],
    });
    expect(sent).toEqual(['disk-file', 'disk']);

    const nodes = await queryNamedBlockNodes(client, { flat: true });
    expect(nodes.map((n) => [n['node-name'], n.drv, n.ro])).toEqual(
      expect.arrayContaining([
        ['disk', 'qcow2', true],
        ['disk-file', 'file', false],
      ]),
    );
    expect(nodes.some((n) => n['node-name'] === 'bad')).toBe(false);
  });

  it('what ~standard refuses QEMU refuses too: the same value sent unchecked gets its error reply', async () => {
    const daemon = await e2e.scope.daemon(qemu10);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const { blockdevAdd, blockdevAddArguments } = e2e.bindings;
    const value = { driver: 'null-co', 'node-name': 'n0', size: 'big' };
    const checked = blockdevAddArguments['~standard'].validate(value);
    expect(checked.issues).toEqual([{ message: 'expected an integer, got "big"', path: ['size'] }]);
    const reply = await blockdevAdd(client, value as never, { unchecked: true }).catch((e: unknown) => e);
    expect(reply).toMatchObject({ errorClass: 'GenericError', message: expect.stringContaining('size') as unknown });
    // And what it lets through, QEMU takes.
    const ok = blockdevAddArguments['~standard'].validate({ driver: 'null-co', 'node-name': 'n1', size: 1048576n });
    expect(ok.issues).toBeUndefined();
    await blockdevAdd(client, (ok as { value: Parameters<typeof blockdevAdd>[1] }).value);
  });
});
