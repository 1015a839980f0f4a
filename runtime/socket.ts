/** Opens the byte stream a client runs on. */
import { createConnection } from 'node:net';
import { armDeadline } from './deadline.js';
import { QmpConnectionError } from './errors.js';
import type { ByteStream } from './platform.js';
import type { ConnectTarget } from './types.js';

export function describeTarget(target: ConnectTarget): string {
  if ('stream' in target) return 'stream';
  if ('path' in target) return target.path;
  return `${target.host}:${target.port}`;
}

/** Resolves once connected; rejects with QmpConnectionError (refused, missing socket, timeout). */
export function openStream(target: ConnectTarget, timeout: number): Promise<ByteStream> {
  if ('stream' in target) return Promise.resolve(target.stream);
  const socket = 'path' in target ? createConnection({ path: target.path }) : createConnection({ host: target.host, port: target.port });
  socket.setNoDelay?.(true);
  return new Promise<ByteStream>((resolve, reject) => {
    const fail = (message: string, cause?: unknown): void => {
      cleanup();
      socket.destroy();
      reject(new QmpConnectionError(`cannot connect to ${describeTarget(target)}: ${message}`, { cause }));
    };
    const onError = (err: Error): void => fail(err.message, err);
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const disarm = armDeadline('connect', { timeout }, () => fail(`no connection after ${timeout} ms`));
    const cleanup = (): void => {
      disarm();
      socket.off('error', onError);
      socket.off('connect', onConnect);
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}
