/**
 * A raw QMP conversation for the peer's tests: bytes in, parsed messages
 * out, no client in between (so what the peer sends is seen exactly,
 * greeting, replies and events in order).
 */
import type { Duplex } from 'node:stream';
import { parseQmpJson } from 'qapi-ts-runtime';

export type Message = Record<string, unknown>;

export class RawConversation {
  readonly messages: Message[] = [];
  private buffer = '';
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  closed = false;

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        if (line.trim() !== '') this.messages.push(parseQmpJson(line) as Message);
      }
      this.check();
    });
    stream.on('close', () => {
      this.closed = true;
      this.check();
    });
  }

  /** Sends text to the peer as it is. */
  send(text: string): void {
    this.stream.write(text);
  }

  /** Resolves once `test` holds (checked after each message and at close). */
  until(test: (messages: readonly Message[]) => boolean): Promise<void> {
    if (test(this.messages)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test: () => test(this.messages), resolve }));
  }

  /** Replies (return or error) received so far, greeting and events left out. */
  replies(): Message[] {
    return this.messages.filter((m) => 'return' in m || 'error' in m);
  }

  /** Resolves with the replies once `count` have come. */
  async replyCount(count: number): Promise<Message[]> {
    await this.until(() => this.replies().length >= count);
    return this.replies();
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      if (this.closed || w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}
