/**
 * A QMP peer for the runtime fuzz target: greets, accepts the
 * capabilities, answers each command with the text `answer` gives (a
 * reply line, raw), and sends raw event lines when told.  On a unix socket.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface Peer {
  readonly path: string;
  /** Sends `text` (whole lines) to every connection. */
  send(text: string): void;
  close(): Promise<void>;
}

const GREETING = '{"QMP":{"version":{"qemu":{"micro":0,"minor":2,"major":10},"package":"fuzz"},"capabilities":[]}}\r\n';

/** `answer(command, id)`: the reply line for a command (`id` as sent, JSON). */
export function startPeer(path: string, answer: (command: string, id: string) => string): Promise<Peer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(GREETING);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const command = /"execute"\s*:\s*"([^"]+)"/.exec(line)?.[1] ?? '';
        const id = /"id"\s*:\s*(\d+|"[^"]*")/.exec(line)?.[1] ?? 'null';
        socket.write(command === 'qmp_capabilities' ? `{"return":{},"id":${id}}\r\n` : answer(command, id));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () =>
      resolve({
        path,
        send: (text) => {
          for (const s of sockets) s.write(text);
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
