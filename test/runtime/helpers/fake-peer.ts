/**
 * A QMP peer on an in-process stream, for what a socket cannot promise:
 * chunks of exactly the size a test wants. What the client writes arrives
 * as commands (qmp_capabilities is answered by itself); the test feeds
 * bytes back.
 */
import { Duplex } from 'node:stream';
import { QmpClient, type ConnectOptions } from '../../../runtime/index.js';

const GREETING = { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: 'fake' }, capabilities: [] } };

export interface FakeCommand {
  execute?: string;
  id?: number;
}

/** The peer's half of the stream. */
export class FakePeer extends Duplex {
  readonly commands: FakeCommand[] = [];
  private onCommand: (command: FakeCommand) => void = () => {};
  private pending = '';

  override _read(): void {}

  /** The client hung up: so does the peer. */
  override _final(done: () => void): void {
    this.push(null);
    done();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) !== -1) {
      const command = JSON.parse(this.pending.slice(0, nl)) as FakeCommand;
      this.pending = this.pending.slice(nl + 1);
      this.commands.push(command);
      if (command.execute === 'qmp_capabilities') this.push(`{"return": {}, "id": ${command.id}}\r\n`);
      else this.onCommand(command);
    }
    done();
  }

  /** Handles the commands that follow the handshake; resolves once one has been handled. */
  whenCommand(handle: (command: FakeCommand) => void): Promise<void> {
    return new Promise((resolve) => {
      this.onCommand = (command) => {
        handle(command);
        resolve();
      };
    });
  }

  /** Emits `bytes` to the client as one chunk. */
  feed(bytes: Buffer): void {
    this.emit('data', bytes);
  }

  /**
   * Emits `bytes` to the client one byte per chunk, calling `each` per
   * chunk. The chunk is one buffer, rewritten each time: the test makes no
   * garbage per byte that would blur the memory measured, and a client
   * keeping chunks instead of copying them would read the wrong bytes.
   */
  feedBytewise(bytes: Buffer, each: (bytes: number) => void = () => {}): void {
    const chunk = Buffer.alloc(1);
    const listeners = this.listeners('data') as ((chunk: Buffer) => void)[];
    for (let at = 0; at < bytes.length; at++) {
      chunk[0] = bytes[at]!;
      for (const listener of listeners) listener.call(this, chunk);
      each(1);
    }
  }
}

/** A client connected to `peer` (which sends the greeting). */
export async function connectFake(peer: FakePeer, options: ConnectOptions = {}): Promise<QmpClient> {
  const connecting = QmpClient.connect({ stream: peer }, options);
  peer.push(`${JSON.stringify(GREETING)}\r\n`);
  return connecting;
}

