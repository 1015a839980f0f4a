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

  it('a late reply to an abandoned or no-reply command passes once; the last 1024 abandoned are remembered', async () => {
    const pending = new PendingCommands();
    const signal = AbortSignal.abort(new Error('gave up'));
    const calls: Promise<unknown>[] = [];
    // A signal aborted before the command is registered abandons it at once.
    for (let id = 1; id <= 1025; id++) calls.push(pending.add(id, 'x', { signal }).catch(() => 'abandoned'));
    expect(await Promise.all(calls)).toEqual(calls.map(() => 'abandoned'));
    expect(pending.match(1).kind).toBe('duplicate'); // forgotten: the oldest of 1025
    expect(pending.match(2).kind).toBe('late');
    expect(pending.match(2).kind).toBe('duplicate');
    expect(pending.match(1025).kind).toBe('late');
    pending.addNoReply(1026);
    expect(pending.match(1026).kind).toBe('late');
    expect(pending.size).toBe(0);
  });
});
