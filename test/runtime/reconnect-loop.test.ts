/**
 * The reconnect loop on its own (runtime/reconnect.ts's reconnector()),
 * against a connection that only records what it is asked: the steps of
 * each way an attempt can end, including the races a real peer provokes
 * only now and then (a stream opened after close(), a handshake lost
 * midway, which the client has already retried).  reconnect.test.ts
 * follows the same loop through a client and a peer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QmpConnectionError } from '../../runtime/errors.js';
import type { ByteStream } from '../../runtime/platform.js';
import { reconnector, type Reconnectable, type ReconnectEvent } from '../../runtime/reconnect.js';
import type { QmpGreeting } from '../../runtime/types.js';

const GREETING: QmpGreeting = { version: { qemu: { major: 10, minor: 0, micro: 2 }, package: '' }, capabilities: [] };
const DELAY = 100;

/** How the connection answers, attempt by attempt. */
interface Script {
  /** What opening the stream does: `refused` rejects; `closed` resolves once close() has been called meanwhile. */
  readonly open: readonly ('refused' | 'opened' | 'closed')[];
  /** What the handshake over an opened stream does: `ready`; `timeout` (still handshaking: the loop's to retry); `lost` (the client moved on by itself). */
  readonly handshake?: readonly ('ready' | 'timeout' | 'lost')[];
}

function harness(attempts: number, script: Script) {
  const log: string[] = [];
  let state: 'ready' | 'reconnecting' | 'handshaking' | 'closed' | 'lost' = 'ready';
  let opened = 0;
  let handshakes = 0;
  const stream = (n: number): ByteStream => ({ destroy: () => log.push(`destroy stream ${n}`) }) as unknown as ByteStream;
  const connection: Reconnectable = {
    wait: (error) => {
      state = 'reconnecting';
      log.push(`wait (${error.message})`);
    },
    waiting: () => state === 'reconnecting',
    resume: async (_stream, attempt) => {
      const how = script.handshake?.[handshakes++] ?? 'ready';
      log.push(`handshake ${attempt}: ${how}`);
      state = how === 'ready' ? 'ready' : how === 'timeout' ? 'handshaking' : 'lost';
      if (how === 'ready') return GREETING;
      throw new QmpConnectionError(how);
    },
    handshaking: () => state === 'handshaking',
    end: (error) => {
      state = 'closed';
      log.push(`end (${error.message})`);
    },
  };
  const open = async (): Promise<ByteStream> => {
    const n = ++opened;
    const how = script.open[n - 1] ?? 'refused';
    log.push(`open ${n}: ${how}`);
    if (how === 'refused') throw new Error('refused');
    if (how === 'closed') state = 'closed';
    return stream(n);
  };
  const loop = reconnector({ attempts, delay: () => DELAY }, open, connection);
  loop.listen((event: ReconnectEvent) => log.push(`told ${event.kind}${'attempt' in event ? ` ${event.attempt}` : ''}`));
  return { loop, log };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reconnector', () => {
  it.each<{ name: string; attempts: number; script: Script; want: string[] }>([
    {
      name: 'reconnects at the first attempt',
      attempts: 3,
      script: { open: ['opened'] },
      want: ['wait (gone)', 'told lost', 'open 1: opened', 'handshake 1: ready', 'told reconnected 1'],
    },
    {
      name: 'retries a refused stream, then gives up after its attempts',
      attempts: 2,
      script: { open: ['refused', 'refused'] },
      want: ['wait (gone)', 'told lost', 'open 1: refused', 'wait (refused)', 'told retrying 1', 'open 2: refused', 'told gave-up', 'end (gave up reconnecting after 2 attempts: refused)'],
    },
    {
      name: 'retries a handshake that failed while still its own (a timeout)',
      attempts: 3,
      script: { open: ['opened', 'opened'], handshake: ['timeout', 'ready'] },
      want: ['wait (gone)', 'told lost', 'open 1: opened', 'handshake 1: timeout', 'wait (timeout)', 'told retrying 1', 'open 2: opened', 'handshake 2: ready', 'told reconnected 2'],
    },
    {
      name: 'leaves a handshake lost midway to the client, which has retried it already',
      attempts: 3,
      script: { open: ['opened'], handshake: ['lost'] },
      want: ['wait (gone)', 'told lost', 'open 1: opened', 'handshake 1: lost'],
    },
    {
      name: 'destroys a stream opened after close(), and tries no handshake',
      attempts: 3,
      script: { open: ['closed'] },
      want: ['wait (gone)', 'told lost', 'open 1: closed', 'destroy stream 1'],
    },
  ])('$name', async ({ attempts, script, want }) => {
    const { loop, log } = harness(attempts, script);
    loop.retry(0, new QmpConnectionError('gone'));
    await vi.runAllTimersAsync();
    expect(log).toEqual(want);
  });

  it('cancel() stops the attempt waiting for its time', async () => {
    const { loop, log } = harness(3, { open: ['opened'] });
    loop.retry(0, new QmpConnectionError('gone'));
    loop.cancel();
    await vi.runAllTimersAsync();
    expect(log).toEqual(['wait (gone)', 'told lost']);
  });

  it('waits as the policy says before each attempt', async () => {
    const { loop, log } = harness(3, { open: ['opened'] });
    loop.retry(0, new QmpConnectionError('gone'));
    await vi.advanceTimersByTimeAsync(DELAY - 1);
    expect(log).toEqual(['wait (gone)', 'told lost']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toContain('told reconnected 1');
  });
});
