import { describe, expect, it } from 'vitest';
import { PendingCommands } from '../../runtime/pending.js';

describe('PendingCommands: what a reply answers', () => {
  it('a pending id once, then a duplicate; ids never sent are unknown', async () => {
    const pending = new PendingCommands();
    const reply = pending.add(1, 'query-status', {});
    const match = pending.match(1);
    expect(match.kind).toBe('pending');
    if (match.kind === 'pending') match.settle({ value: 'ok' });
    await expect(reply).resolves.toBe('ok');
    expect(pending.match(1).kind).toBe('duplicate');
    expect(pending.match(2).kind).toBe('never-sent');
    expect(pending.match(0).kind).toBe('never-sent');
  });

  /** Registers ids `from..to`; those `gaveUp` says gave up at once (an aborted signal), the others are answered. */
  async function sendAll(pending: PendingCommands, from: number, to: number, gaveUp: (id: number) => boolean): Promise<void> {
    const signal = AbortSignal.abort(new Error('gave up'));
    const calls: Promise<unknown>[] = [];
    for (let id = from; id <= to; id++) {
      if (gaveUp(id)) calls.push(pending.add(id, 'x', { signal }).catch(() => 'abandoned'));
      else {
        calls.push(pending.add(id, 'x', {}));
        const match = pending.match(id);
        if (match.kind === 'pending') match.settle({ value: 'answered' });
      }
    }
    await Promise.all(calls);
  }

  it('a late reply to each of 5000 abandoned commands passes once as late (a second is a duplicate), in one range', async () => {
    const pending = new PendingCommands();
    await sendAll(pending, 1, 5000, () => true);
    expect(pending.abandonedRanges).toBe(1);
    // Out of order, as a peer working through a backlog may answer.
    const order = [2500, 1, 5000, ...Array.from({ length: 5000 }, (_, i) => i + 1).filter((id) => ![1, 2500, 5000].includes(id))];
    expect(order.map((id) => pending.match(id).kind)).toEqual(order.map(() => 'late'));
    expect(order.map((id) => pending.match(id).kind)).toEqual(order.map(() => 'duplicate'));
    expect(pending.abandonedRanges).toBe(0);
    pending.addNoReply(5001);
    expect(pending.match(5001).kind).toBe('late');
    expect(pending.size).toBe(0);
  });

  it('abandoned ids scattered among answered ones: at most 1024 ranges kept, and every abandoned id still passes as late', async () => {
    const pending = new PendingCommands();
    // 3000 ranges of one id each, between answered ids.
    await sendAll(pending, 1, 6000, (id) => id % 2 === 0);
    expect(pending.abandonedRanges).toBe(1024);
    const abandoned = Array.from({ length: 3000 }, (_, i) => 2 * (i + 1));
    expect(abandoned.map((id) => pending.match(id).kind)).toEqual(abandoned.map(() => 'late'));
    // The newest answered ids were never joined into a range: a second reply is a duplicate.
    expect([5999, 5001, 3999].map((id) => pending.match(id).kind)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(pending.match(6001).kind).toBe('never-sent');
  });
});
