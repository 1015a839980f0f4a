/**
 * A scriptable fake QMP server on a unix socket, for fault tests the real
 * QEMU cannot be made to produce (reordered replies, garbage lines, ...).
 */
import { afterEach } from 'vitest';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseQmpJson, stringifyQmpJson } from '../../../runtime/json.js';
import { makeTempDir, removeTempDir } from '../../helpers/qemu.js';

/** What settledConnectionCount's probe connection says first. */
const PROBE = 'probe: not a QMP client';

export interface MockCommand {
  /** `execute` or `exec-oob` value. */
  name: string;
  oob: boolean;
  id: unknown;
  arguments: Record<string, unknown> | undefined;
  /** The raw line as received. */
  raw: string;
}

export interface MockConnection {
  socket: Socket;
  send(message: unknown): void;
  sendRaw(text: string): void;
  reply(command: MockCommand, value?: unknown): void;
  replyError(command: MockCommand, errorClass: string, desc: string): void;
  event(name: string, data?: unknown): void;
}

/** Return true if handled; false falls back to the default `{}` reply. */
export type CommandHandler = (command: MockCommand, conn: MockConnection) => boolean | void;

export interface MockServerOptions {
  capabilities?: string[];
  onCommand?: CommandHandler;
  /** Skip sending the greeting (to test handshake timeouts). */
  silent?: boolean;
  /** The version the greeting names (default 7.2.0, package `mock`). */
  version?: { qemu: { major: number; minor: number; micro: number }; package: string };
  /** Listen at this socket path (a peer coming back where another was); default a new one in a temp dir of its own. */
  path?: string;
}

export interface MockServer {
  path: string;
  /** Every command received on any connection, in arrival order. */
  received: MockCommand[];
  connections: MockConnection[];
  /** Resolves when the next command arrives (already received ones do not count). */
  nextCommand(): Promise<MockCommand>;
  /** Resolves when the next command named `name` arrives. */
  nextCommandNamed(name: string): Promise<MockCommand>;
  /** Resolves with the next connection once the server has accepted it. */
  nextConnection(): Promise<MockConnection>;
  /**
   * How many connections were made so far, counted once every earlier
   * connection attempt has surely been accepted: a probe connection is made
   * and waited for (the kernel accepts in order); the probe is not counted.
   */
  settledConnectionCount(): Promise<number>;
  close(): Promise<void>;
}

function wrap(socket: Socket): MockConnection {
  const conn: MockConnection = {
    socket,
    send: (message) => conn.sendRaw(stringifyQmpJson(message) + '\r\n'),
    sendRaw: (text) => {
      if (!socket.destroyed) socket.write(text);
    },
    reply: (command, value = {}) => conn.send({ return: value, id: command.id }),
    replyError: (command, errorClass, desc) => conn.send({ error: { class: errorClass, desc }, id: command.id }),
    event: (name, data) =>
      conn.send({ event: name, ...(data === undefined ? {} : { data }), timestamp: { seconds: 1700000000, microseconds: 42 } }),
  };
  return conn;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  // The folder is the server's own, and removed on close, only when it made it.
  const dir = options.path === undefined ? makeTempDir('qapi-ts-mock-') : undefined;
  const path = options.path ?? join(dir!, 'qmp.sock');
  const received: MockCommand[] = [];
  const connections: MockConnection[] = [];
  const sockets = new Set<Socket>();
  let nextWaiters: ((c: MockCommand) => void)[] = [];
  let connectionWaiters: ((c: MockConnection) => void)[] = [];
  /** Waiting for settledConnectionCount's probe to be accepted. */
  let probeWaiters: (() => void)[] = [];

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const conn = wrap(socket);
    connections.push(conn);
    const waiting = connectionWaiters;
    connectionWaiters = [];
    for (const w of waiting) w(conn);
    if (!options.silent) {
      conn.send({
        QMP: {
          version: options.version ?? { qemu: { major: 7, minor: 2, micro: 0 }, package: 'mock' },
          capabilities: options.capabilities ?? ['oob'],
        },
      });
    }
    let buffered = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const raw = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (raw === PROBE) {
          connections.splice(connections.indexOf(conn), 1);
          socket.destroy();
          const waiting = probeWaiters;
          probeWaiters = [];
          for (const w of waiting) w();
          return;
        }
        const msg = parseQmpJson(raw) as Record<string, unknown>;
        const oob = typeof msg['exec-oob'] === 'string';
        const command: MockCommand = {
          name: String(oob ? msg['exec-oob'] : msg.execute),
          oob,
          id: msg.id,
          arguments: msg.arguments as Record<string, unknown> | undefined,
          raw,
        };
        received.push(command);
        const waiters = nextWaiters;
        nextWaiters = [];
        for (const w of waiters) w(command);
        if (options.onCommand?.(command, conn) !== true) conn.reply(command);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));

  return {
    path,
    received,
    connections,
    nextCommand: () => new Promise((resolve) => nextWaiters.push(resolve)),
    nextCommandNamed(name) {
      return new Promise((resolve) => {
        const wait = (c: MockCommand): void => {
          if (c.name === name) resolve(c);
          else nextWaiters.push(wait);
        };
        nextWaiters.push(wait);
      });
    },
    nextConnection: () => new Promise((resolve) => connectionWaiters.push(resolve)),
    async settledConnectionCount() {
      await new Promise<void>((resolve, reject) => {
        probeWaiters.push(resolve);
        const probe = createConnection({ path }, () => probe.write(`${PROBE}\n`));
        probe.on('error', reject);
      });
      return connections.length;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeTempDir(dir);
    },
  };
}

/** After each test, closes what the test file holds (a client, the mock
 *  server); closing twice is harmless, so nothing needs resetting. */
export function closeAfterEach(held: () => readonly ({ close(): Promise<void> } | undefined)[]): void {
  afterEach(async () => {
    for (const resource of held()) await resource?.close();
  });
}
