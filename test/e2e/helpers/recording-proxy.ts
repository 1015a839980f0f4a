/**
 * A unix-socket relay between a QMP client and QEMU that records every byte
 * the client sends (and what QEMU answers), so a test can assert on what
 * actually went over the wire.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

export interface RecordingProxy {
  /** Where clients connect instead of QEMU's socket. */
  readonly path: string;
  /** Everything clients sent so far, as text. */
  sent(): string;
  /** The client->QEMU lines sent so far, parsed. */
  sentMessages(): Record<string, unknown>[];
  /** The QEMU->client lines so far (greeting, replies, events), parsed. */
  receivedMessages(): Record<string, unknown>[];
  close(): Promise<void>;
}

export function startRecordingProxy(dir: string, upstreamPath: string, name = 'proxy.sock'): Promise<RecordingProxy> {
  const path = join(dir, name);
  const chunks: Buffer[] = [];
  const answers: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = createConnection({ path: upstreamPath });
    sockets.add(downstream).add(upstream);
    downstream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      answers.push(chunk);
      downstream.write(chunk);
    });
    const closeBoth = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    for (const s of [downstream, upstream]) {
      s.on('error', closeBoth);
      s.on('close', () => {
        sockets.delete(s);
        closeBoth();
      });
    }
  });
  const sent = (): string => Buffer.concat(chunks).toString('utf8');
  const lines = (text: string): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () =>
      resolve({
        path,
        sent,
        sentMessages: () => lines(sent()),
        receivedMessages: () => lines(Buffer.concat(answers).toString('utf8')),
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
