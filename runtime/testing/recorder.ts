/**
 * QmpRecorder: a recording proxy.  It listens where a program connects,
 * relays every byte unchanged to the QEMU behind it and back, and records
 * each message either way with its time (recording.ts), so a real
 * session becomes a fixture the peer can replay.  Nothing in the client
 * changes: the program is only pointed at the recorder's socket.
 */
import { createConnection, type Socket } from 'node:net';
import { JsonMessageStream, type Segment } from './json-stream.js';
import { parseQmpJson } from '../json.js';
import { entryLine, RECORDING_VERSION, type RecordedEntry, type Recording, type RecordingHeader } from './recording.js';
import { PeerServer, type PeerAddress } from './server.js';
import type { Duplex } from 'node:stream';

export interface RecorderOptions {
  /** The QEMU's QMP socket: a unix socket path, or host and port. */
  readonly upstream: { readonly path: string } | { readonly host: string; readonly port: number };
  /** Receives each line of the recording as it is made (header first):
   *  to write the file as the session goes. */
  readonly onLine?: (line: string) => void;
  /** Called when a connection closed (either side), with its number. */
  readonly onClosed?: (conn: number) => void;
  /** Longest message recorded (default 64 MiB; longer ones are relayed
   *  but recorded as an error). */
  readonly maxMessageBytes?: number;
}

export class QmpRecorder extends PeerServer {
  readonly header: RecordingHeader;
  private readonly entries: RecordedEntry[] = [];
  private readonly started = performance.now();

  constructor(private readonly options: RecorderOptions) {
    super();
    const upstream = 'path' in options.upstream ? options.upstream.path : `${options.upstream.host}:${options.upstream.port}`;
    this.header = { 'qmp-recording': RECORDING_VERSION, recorded: new Date().toISOString(), upstream };
    options.onLine?.(entryLine(this.header));
  }

  /** What was recorded so far. */
  get recording(): Recording {
    return { header: this.header, entries: [...this.entries] };
  }

  protected accept(downstream: Socket | Duplex, conn: number): void {
    const target = this.options.upstream;
    const upstream = 'path' in target ? createConnection({ path: target.path }) : createConnection({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    const max = this.options.maxMessageBytes ?? 64 * 1024 * 1024;
    const record = (from: 'client' | 'server'): ((segment: Segment) => void) => (segment) => {
      if (segment.kind === 'error') return this.add({ ms: this.now(), conn, 'client-text': `(unreadable: ${segment.reason})` });
      let message: unknown;
      try {
        message = parseQmpJson(segment.text);
      } catch {
        if (from === 'client') this.add({ ms: this.now(), conn, 'client-text': segment.text });
        return;
      }
      this.add(from === 'client' ? { ms: this.now(), conn, client: message } : { ms: this.now(), conn, server: message });
    };
    const fromClient = new JsonMessageStream(max, record('client'));
    const fromServer = new JsonMessageStream(max, record('server'));
    let closedBy: 'client' | 'server' | undefined;
    const close = (by: 'client' | 'server'): void => {
      if (closedBy !== undefined) return;
      closedBy = by;
      this.add({ ms: this.now(), conn, closed: by });
      downstream.end();
      upstream.end();
      this.options.onClosed?.(conn);
    };
    downstream.on('data', (chunk: Buffer) => {
      fromClient.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      fromServer.push(chunk);
      downstream.write(chunk);
    });
    downstream.on('end', () => close('client'));
    upstream.on('end', () => close('server'));
    downstream.on('error', () => close('client'));
    upstream.on('error', () => close('server'));
    downstream.on('close', () => {
      close('client');
      upstream.destroy();
    });
    upstream.on('close', () => {
      close('server');
      downstream.destroy();
    });
  }

  protected shutDown(): void {}

  private now(): number {
    return Math.round((performance.now() - this.started) * 100) / 100;
  }

  private add(entry: RecordedEntry): void {
    this.entries.push(entry);
    this.options.onLine?.(entryLine(entry));
  }
}

export type { PeerAddress };
