/**
 * What the serving verbs (fake-qemu, record) share: where they listen,
 * made ready (a socket left behind by an earlier run is replaced, as QEMU
 * replaces it; anything else there is a usage error), and running until
 * SIGINT or SIGTERM.
 */
import { lstatSync, rmSync } from 'node:fs';
import { CliExit, EXIT } from './io.js';

export interface ListenFlags {
  listen?: string;
  port?: string;
}

export type ListenChoice = { readonly path: string } | { readonly port: number };

/** The one place to listen the flags name: `--listen PATH` or `--port N` (TCP on 127.0.0.1). */
export function listenTarget(flags: ListenFlags, verb: string): ListenChoice {
  if ((flags.listen === undefined) === (flags.port === undefined)) {
    throw new CliExit(EXIT.usage, `qapi-ts: ${verb} needs one of --listen SOCKET_PATH or --port N`);
  }
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port > 65535) throw new CliExit(EXIT.usage, `qapi-ts: --port must be a TCP port number (0 to 65535), not '${flags.port}'`);
    return { port };
  }
  const path = flags.listen!;
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return { path };
  }
  if (!isSocket) throw new CliExit(EXIT.usage, `qapi-ts: '${path}' exists and is not a socket; refusing to replace it`);
  rmSync(path, { force: true });
  return { path };
}

/** A failure to listen, as a usage error naming the place. */
export function listenFailure(e: unknown, where: ListenChoice): CliExit {
  const place = 'path' in where ? where.path : `127.0.0.1:${where.port}`;
  const message = e instanceof Error ? e.message : String(e);
  return new CliExit(EXIT.usage, `qapi-ts: cannot listen on ${place}: ${message}`);
}

/** How a place is named in messages. */
export function placeText(address: { readonly path: string } | { readonly host: string; readonly port: number }): string {
  return 'path' in address ? address.path : `${address.host}:${address.port}`;
}

/** Resolves when the process is told to stop (SIGINT, SIGTERM) or `done` resolves. */
export function untilStopped(done?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    done?.then(stop, stop);
  });
}
