import { describe, expect, it } from 'vitest';
import { QmpClient, QmpProtocolError } from '../../runtime/index.js';
import { connectFake, FakePeer } from './helpers/fake-peer.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;

closeAfterEach(() => [client, server]);

describe('QmpClient wire robustness', () => {
  it('reports a malformed line, skips it and keeps working', async () => {
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'garbage') return false;
        conn.sendRaw('{"return": {"oops": \r\n');
        conn.reply(cmd, 'after garbage');
        return true;
      },
    });
    const errors: QmpProtocolError[] = [];
    client = await QmpClient.connect({ path: server.path }, { onProtocolError: (e) => errors.push(e) });
    await expect(client.execute('garbage')).resolves.toBe('after garbage');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(QmpProtocolError);
    expect(errors[0]!.reason).toBe('malformed-json');
    expect(errors[0]!.excerpt).toContain('"oops"');
    await expect(client.execute('ping')).resolves.toEqual({});
  });

  it('reports an oversized line (even split across many chunks), skips it and keeps working', async () => {
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'big') return false;
        const huge = JSON.stringify({ return: 'x'.repeat(300_000), id: cmd.id });
        // Send in pieces so the limit must hold across chunk boundaries.
        for (let i = 0; i < huge.length; i += 7_000) conn.sendRaw(huge.slice(i, i + 7_000));
        conn.sendRaw('\r\n');
        conn.send({ return: 'small', id: cmd.id });
        return true;
      },
    });
    const errors: QmpProtocolError[] = [];
    client = await QmpClient.connect({ path: server.path }, { maxLineLength: 4096, onProtocolError: (e) => errors.push(e) });
    // The oversized copy is dropped; the second, small reply with the same id resolves the call.
    await expect(client.execute('big')).resolves.toBe('small');
    expect(errors.map((e) => e.reason)).toEqual(['oversized-line']);
    await expect(client.execute('ping')).resolves.toEqual({});
  });

  it('reports unrecognised messages and id-less error replies without crashing', async () => {
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'weird') return false;
        conn.sendRaw('[1,2,3]\r\n');
        conn.sendRaw('{"hello": "world"}\r\n');
        conn.send({ error: { class: 'GenericError', desc: 'Invalid JSON syntax' } });
        conn.send({ return: 'unknown id', id: 999_999 });
        conn.reply(cmd, 'done');
        return true;
      },
    });
    const errors: QmpProtocolError[] = [];
    client = await QmpClient.connect({ path: server.path }, { onProtocolError: (e) => errors.push(e) });
    await expect(client.execute('weird')).resolves.toBe('done');
    expect(errors.map((e) => e.reason)).toEqual(['unexpected-message', 'unexpected-message', 'reply-without-id', 'unknown-id']);
    expect(errors[2]!.message).toContain('Invalid JSON syntax');
  });

  it('round-trips 64-bit integers exactly in both directions', async () => {
    const values = [2n ** 63n - 1n, 2n ** 64n - 1n, -(2n ** 63n)];
    server = await startMockServer({
      onCommand(cmd, conn) {
        if (cmd.name !== 'echo') return false;
        // Answer with literal text so the server side does not depend on our encoder.
        conn.sendRaw(`{"return": {"values": [${values.join(', ')}], "small": 42, "raw": ${JSON.stringify(cmd.raw)}}, "id": ${String(cmd.id)}}\r\n`);
        return true;
      },
    });
    client = await QmpClient.connect({ path: server.path });
    const result = (await client.execute('echo', { values, small: 7 })) as { values: unknown[]; small: unknown; raw: string };
    expect(result.values).toEqual(values);
    expect(result.values.every((v) => typeof v === 'bigint')).toBe(true);
    expect(result.small).toBe(42);
    expect(result.raw).toContain('"values":[9223372036854775807,18446744073709551615,-9223372036854775808]');
    expect(result.raw).toContain('"small":7');
    expect(result.raw).not.toContain('\n');
  });

  it('handles bytes split mid-character and several messages per chunk', async () => {
    const peer = new FakePeer();
    client = await connectFake(peer);
    const answered = peer.whenCommand((command) => {
      const bytes = Buffer.from(JSON.stringify({ return: 'héllo ✓', id: command.id }) + '\r\n');
      const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte check mark
      peer.feed(bytes.subarray(0, cut));
      peer.feed(Buffer.concat([bytes.subarray(cut), Buffer.from('{"event":"A","timestamp":{"seconds":1,"microseconds":2}}\r\n')]));
    });
    const events: string[] = [];
    client.on('*', (e) => events.push(e.event));
    const call = client.execute('utf8');
    await answered;
    await expect(call).resolves.toBe('héllo ✓');
    expect(events).toEqual(['A']);
  });
});
