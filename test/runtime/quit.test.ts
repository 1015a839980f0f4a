/**
 * `quit` and the connection's end: QEMU exits on `quit` and may hang up
 * before its reply is out (QEMU 10.0.2's storage daemon does so on a busy
 * machine).  A quit in flight when the peer hangs up is answered by the
 * hang-up, the client does not reconnect to the QEMU it told to exit, and
 * every other command in flight still rejects as of unknown outcome; a
 * stream that breaks (an error, or a line cut short) answers nothing.
 */
import { describe, expect, it } from 'vitest';
import { QmpClient, QmpOutcomeUnknownError, type ConnectOptions } from '../../runtime/index.js';
import { connectFake, FakePeer } from './helpers/fake-peer.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

const held: { client?: QmpClient; server?: MockServer } = {};
closeAfterEach(() => [held.client, held.server]);

/** A peer that hangs up once `quit` arrives, without a reply, and never answers `query-status`. */
async function hangingUpOnQuit(): Promise<MockServer> {
  held.server = await startMockServer({
    onCommand: (command, conn) => {
      if (command.name === 'quit') conn.socket.end();
      return command.name === 'quit' || command.name === 'query-status';
    },
  });
  return held.server;
}

describe('a quit answered by the hang-up', () => {
  it.each<[string, ConnectOptions]>([
    ['without reconnect', {}],
    ['with reconnect (the QEMU told to exit is not asked again)', { reconnect: { initialDelay: 1, maxDelay: 5 } }],
  ])('%s: quit resolves with the reply QEMU would have sent, and the client is closed', async (_, options) => {
    const server = await hangingUpOnQuit();
    const client = (held.client = await QmpClient.connect({ path: server.path }, options));
    const closed = new Promise((resolve) => client.onClose(resolve));
    await expect(client.execute('quit')).resolves.toEqual({});
    expect((await closed) as Error).toMatchObject({ message: 'connection closed by peer' });
    expect(client.connectionState).toBe('closed');
    expect(await server.settledConnectionCount()).toBe(1);
  });

  it('a command in flight beside the quit still rejects as of unknown outcome', async () => {
    const server = await hangingUpOnQuit();
    const client = (held.client = await QmpClient.connect({ path: server.path }));
    const other = client.execute('query-status').catch((e: unknown) => e);
    const quit = client.execute('quit');
    await expect(quit).resolves.toEqual({});
    const error = await other;
    expect(error).toBeInstanceOf(QmpOutcomeUnknownError);
    expect(error).toMatchObject({ command: 'query-status', message: 'query-status: connection closed by peer' });
  });

  it.each<[string, (peer: FakePeer) => void, string]>([
    ['the stream breaks', (peer) => peer.destroy(new Error('reset by the test')), 'quit: connection broken: reset by the test'],
    ['the peer hangs up in the middle of a line', (peer) => (peer.push('{"return": {'), peer.push(null)), 'quit: connection closed by peer in the middle of a message'],
  ])('when %s, quit rejects as of unknown outcome', async (_, end, message) => {
    const peer = new FakePeer();
    const client = (held.client = await connectFake(peer));
    const handled = peer.whenCommand(() => undefined);
    const quit = client.execute('quit').catch((e: unknown) => e);
    await handled;
    end(peer);
    const error = await quit;
    expect(error).toBeInstanceOf(QmpOutcomeUnknownError);
    expect((error as Error).message).toBe(message);
  });
});
