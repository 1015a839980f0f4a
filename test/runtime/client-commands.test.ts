import { describe, expect, it } from 'vitest';
import { QmpClient, QmpError, QmpTimeoutError } from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockCommand, type MockConnection, type MockServer } from './helpers/mock-qmp-server.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;

closeAfterEach(() => [client, server]);

describe('QmpClient handshake', () => {
  it('exposes the greeting and enables oob only when asked and offered', async () => {
    server = await startMockServer({ capabilities: ['oob'] });
    client = await QmpClient.connect({ path: server.path }, { capabilities: ['oob'] });
    expect(client.greeting.version.qemu).toEqual({ major: 7, minor: 2, micro: 0 });
    expect(client.greeting.version.package).toBe('mock');
    expect(client.greeting.capabilities).toEqual(['oob']);
    expect(client.capabilities).toEqual(['oob']);
    expect(server.received[0]).toMatchObject({ name: 'qmp_capabilities', arguments: { enable: ['oob'] } });
  });

  it('sends plain qmp_capabilities when oob is not offered', async () => {
    server = await startMockServer({ capabilities: [] });
    client = await QmpClient.connect({ path: server.path }, { capabilities: ['oob'] });
    expect(client.capabilities).toEqual([]);
    expect(server.received[0]?.name).toBe('qmp_capabilities');
    expect(server.received[0]?.arguments).toBeUndefined();
  });

  it('sends plain qmp_capabilities when oob is offered but not asked for', async () => {
    server = await startMockServer({ capabilities: ['oob'] });
    client = await QmpClient.connect({ path: server.path });
    expect(client.capabilities).toEqual([]);
    expect(server.received[0]?.arguments).toBeUndefined();
  });
});

describe('QmpClient commands', () => {
  it('correlates out-of-order replies by id', async () => {
    const held: [MockCommand, MockConnection][] = [];
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'echo') return false;
        held.push([cmd, conn]);
        if (held.length === 3) for (const [c, k] of held.reverse()) k.reply(c, c.arguments?.n);
        return true;
      },
    });
    client = await QmpClient.connect({ path: server.path });
    const results = await Promise.all([1, 2, 3].map((n) => client!.execute('echo', { n })));
    expect(results).toEqual([1, 2, 3]);
    // The server really answered in reverse order.
    expect(held.map(([c]) => c.arguments?.n)).toEqual([3, 2, 1]);
  });

  it('keeps 64 commands in flight and resolves each with its own reply', async () => {
    const held: [MockCommand, MockConnection][] = [];
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'echo') return false;
        held.push([cmd, conn]);
        if (held.length === 64) {
          // Reply in a scrambled but deterministic order.
          const order = held.map((_, i) => (i * 37) % 64);
          for (const i of order) held[i]![1].reply(held[i]![0], { n: held[i]![0].arguments?.n });
        }
        return true;
      },
    });
    client = await QmpClient.connect({ path: server.path });
    const ns = Array.from({ length: 64 }, (_, i) => i);
    const results = await Promise.all(ns.map((n) => client!.execute('echo', { n })));
    expect(results).toEqual(ns.map((n) => ({ n })));
    const ids = new Set(server.received.filter((c) => c.name === 'echo').map((c) => c.id));
    expect(ids.size).toBe(64);
  });

  it('sends exec-oob for oob commands and lets their reply overtake in-band ones', async () => {
    let slow: [MockCommand, MockConnection] | undefined;
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name === 'slow') {
          slow = [cmd, conn];
          return true;
        }
        if (cmd.name === 'fast') {
          conn.reply(cmd, 'fast');
          slow![1].reply(slow![0], 'slow');
          return true;
        }
        return false;
      },
    });
    client = await QmpClient.connect({ path: server.path }, { capabilities: ['oob'] });
    const order: string[] = [];
    const a = client.execute('slow').then((v) => order.push(String(v)));
    const b = client.execute('fast', undefined, { oob: true }).then((v) => order.push(String(v)));
    await Promise.all([a, b]);
    expect(order).toEqual(['fast', 'slow']);
    const fast = server.received.find((c) => c.name === 'fast')!;
    expect(fast.oob).toBe(true);
    expect(fast.raw).toContain('"exec-oob":"fast"');
    expect(server.received.find((c) => c.name === 'slow')!.oob).toBe(false);
  });

  it('rejects an error reply with QmpError carrying class, desc and command', async () => {
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'block-commit') return false;
        conn.replyError(cmd, 'DeviceNotFound', "Device 'x' not found");
        return true;
      },
    });
    client = await QmpClient.connect({ path: server.path });
    const err = await client.execute('block-commit', { device: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect(err).toBeInstanceOf(Error);
    const q = err as QmpError;
    expect(q.errorClass).toBe('DeviceNotFound');
    expect(q.desc).toBe("Device 'x' not found");
    expect(q.command).toBe('block-commit');
    expect(q.message).toBe("block-commit: DeviceNotFound: Device 'x' not found");
    // The connection is still usable afterwards.
    await expect(client.execute('ping')).resolves.toEqual({});
  });

  it('times out a command with QmpTimeoutError; the late reply is skipped, reported as late', async () => {
    let late: (() => void) | undefined;
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'hang') return false;
        late = () => conn.reply(cmd, 'too late');
        return true;
      },
    });
    const protocolErrors: unknown[] = [];
    client = await QmpClient.connect({ path: server.path }, { onProtocolError: (e) => protocolErrors.push(e) });
    const err = await client.execute('hang', undefined, { timeout: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as QmpTimeoutError).timeout).toBe(50);
    late!();
    await expect(client.execute('ping')).resolves.toEqual({});
    expect(protocolErrors).toMatchObject([{ reason: 'late-reply', excerpt: '{"return":"too late","id":2}' }]);
  });

  it('applies the connect-level timeout as the default command timeout', async () => {
    server = await startMockServer({ onCommand: (cmd) => cmd.name === 'hang' });
    client = await QmpClient.connect({ path: server.path }, { timeout: 80 });
    await expect(client.execute('hang')).rejects.toBeInstanceOf(QmpTimeoutError);
    // timeout: 0 disables the default for one call.
    const never = client.execute('hang', undefined, { timeout: 0 });
    const ac = new AbortController();
    const viaSignal = client.execute('hang', undefined, { timeout: 0, signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(viaSignal).rejects.toThrow('stop');
    const neverSettles = expect(never).rejects.toThrow(/closed by client/);
    await client.close();
    await neverSettles;
  });

  it('rejects with the abort reason, before or after sending', async () => {
    let hung: (() => void) | undefined;
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'hang') return false;
        hung = () => conn.reply(cmd, 'late');
        return true;
      },
    });
    client = await QmpClient.connect({ path: server.path });
    const reason = new Error('user gave up');
    const ac = new AbortController();
    const sent = server.nextCommand();
    const p = client.execute('hang', undefined, { signal: ac.signal });
    await sent;
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    hung!();

    const before = server.received.length;
    await expect(client.execute('hang', undefined, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(client.execute('ping')).resolves.toEqual({});
    // The pre-aborted command never reached the wire.
    expect(server.received.slice(before).map((c) => c.name)).toEqual(['ping']);
  });

  it('noReply resolves undefined once written without waiting for a reply', async () => {
    server = await startMockServer({ onCommand: (cmd) => cmd.name === 'guest-shutdown' });
    client = await QmpClient.connect({ path: server.path });
    const next = server.nextCommand();
    await expect(client.execute('guest-shutdown', { mode: 'powerdown' }, { noReply: true })).resolves.toBeUndefined();
    expect(await next).toMatchObject({ name: 'guest-shutdown', arguments: { mode: 'powerdown' } });
  });

  it('puts unique ids on every command', async () => {
    server = await startMockServer();
    client = await QmpClient.connect({ path: server.path });
    await Promise.all(Array.from({ length: 10 }, () => client!.execute('ping')));
    const ids = server.received.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id !== undefined)).toBe(true);
  });
});
