/**
 * Where a peer is reached: a unix socket path, a TCP port on the loopback
 * interface, or in-memory stream pairs; each connection is handed to the
 * peer's `accept`.  Listening targets are what QmpClient.connect takes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { duplexPair } from './duplex.js';

/** Where to listen: a unix socket path, or a TCP port on loopback (0: any free one). */
export type ListenTarget = { readonly path: string } | { readonly port: number; readonly host?: '127.0.0.1' | '::1' | 'localhost' };

/** Where a client connects: a ConnectTarget of QmpClient.connect. */
export type PeerAddress = { readonly path: string } | { readonly host: string; readonly port: number };

export abstract class PeerServer {
  private readonly servers: { server: Server; path?: string }[] = [];
  private readonly streams = new Set<Socket | Duplex>();
  private nextConnection = 1;
  private closing: Promise<void> | undefined;

  /** Serves one new connection; `number` counts connections from 1. */
  protected abstract accept(stream: Socket | Duplex, number: number): void;

  /** Stops whatever the peer does by itself (timers). */
  protected abstract shutDown(): void;

  /** How many connections are open. */
  get connections(): number {
    return this.streams.size;
  }

  /** Listens; resolves with the address clients connect to. */
  listen(target: ListenTarget): Promise<PeerAddress> {
    if (this.closing) return Promise.reject(new Error('the peer is closed'));
    const server = createServer({ noDelay: true }, (socket) => this.take(socket));
    // Many clients may connect at once (a benchmark's thousand).
    server.maxConnections = Infinity;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = (): void => {
        server.off('error', reject);
        if ('path' in target) {
          this.servers.push({ server, path: target.path });
          resolve({ path: target.path });
        } else {
          this.servers.push({ server });
          const address = server.address();
          const port = typeof address === 'object' && address !== null ? address.port : target.port;
          resolve({ host: target.host ?? '127.0.0.1', port });
        }
      };
      if ('path' in target) server.listen({ path: target.path, backlog: 4096 }, done);
      else server.listen({ port: target.port, host: target.host ?? '127.0.0.1', backlog: 4096 }, done);
    });
  }

  /** A new in-memory connection: give `{ stream }` to QmpClient.connect. */
  pair(): { stream: Duplex } {
    if (this.closing) throw new Error('the peer is closed');
    const [client, peer] = duplexPair();
    this.take(peer);
    return { stream: client };
  }

  /** Stops listening, closes every connection, removes socket files. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.shutDown();
      for (const s of this.streams) s.destroy();
      await Promise.all(
        this.servers.map(
          ({ server, path }) =>
            new Promise<void>((resolve) =>
              server.close(() => {
                if (path !== undefined) rmSync(path, { force: true });
                resolve();
              }),
            ),
        ),
      );
    })();
    return this.closing;
  }

  /** Cuts every connection at once, as a crash would. */
  dropConnections(): void {
    for (const s of this.streams) s.destroy();
  }

  private take(stream: Socket | Duplex): void {
    this.streams.add(stream);
    stream.once('close', () => this.streams.delete(stream));
    this.accept(stream, this.nextConnection++);
  }
}
