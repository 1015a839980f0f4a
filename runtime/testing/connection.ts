/**
 * One client's connection to the peer, as bytes: what arrives is split into
 * JSON messages (json-stream.ts) and parsed exactly (64-bit integers
 * kept); what the peer sends goes out one message a line, CRLF-ended as
 * QEMU ends them.  A client that ends its side is answered by ending ours.
 */
import { JsonMessageStream } from './json-stream.js';
import { parseQmpJson } from '../json.js';

/** The byte stream of a connection: a socket, or one end of an in-memory pair. */
export interface PeerStream {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  write(data: string): unknown;
  end(): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
}

/** What a connection tells whoever speaks QMP on it. */
export interface ConnectionListener {
  /** A message arrived (already parsed), with its text. */
  message(value: unknown, text: string): void;
  /** Input that is no JSON message; `reason` says what is wrong. */
  unreadable(reason: string): void;
  /** The connection is gone. */
  closed(): void;
}

export class PeerConnection {
  private ended = false;

  constructor(
    /** 1 for the peer's first connection, then 2, ... */
    readonly number: number,
    private readonly stream: PeerStream,
    maxMessageBytes: number,
    private readonly listener: ConnectionListener,
  ) {
    const splitter = new JsonMessageStream(maxMessageBytes, (segment) => {
      if (this.ended) return;
      if (segment.kind === 'error') return listener.unreadable(segment.reason);
      let value: unknown;
      try {
        value = parseQmpJson(segment.text);
      } catch (e) {
        return listener.unreadable(e instanceof Error ? e.message : String(e));
      }
      listener.message(value, segment.text);
    });
    stream.on('data', (chunk) => splitter.push(chunk));
    stream.on('end', () => {
      splitter.end();
      this.close();
    });
    // A broken connection is closed; 'close' follows.
    stream.on('error', () => {});
    stream.on('close', () => this.gone());
  }

  get open(): boolean {
    return !this.ended && !this.stream.destroyed;
  }

  /** Sends one message's text as a line. */
  sendText(text: string): void {
    if (this.open) this.stream.write(`${text}\r\n`);
  }

  /** Ends the connection once what was sent has been written. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.end();
  }

  /** Cuts the connection at once (a crash, as the client sees it). */
  drop(): void {
    this.ended = true;
    this.stream.destroy();
  }

  private gone(): void {
    this.ended = true;
    this.listener.closed();
  }
}
