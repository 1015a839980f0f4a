import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../runtime/event-buffer.js';

describe('EventBuffer', () => {
  it('numbers entries from 1 and finds the oldest match after a mark', () => {
    const b = new EventBuffer<string>(4);
    expect(b.lastSeq).toBe(0);
    expect(['a', 'b', 'a'].map((v) => b.push(v))).toEqual([1, 2, 3]);
    expect(b.find(0, (v) => v === 'a')).toBe('a');
    expect(b.find(1, (v) => v === 'b')).toBe('b');
    expect(b.find(2, (v) => v === 'b')).toBeUndefined();
  });

  it('forgets entries older than its capacity', () => {
    const b = new EventBuffer<number>(3);
    for (let i = 1; i <= 5; i++) b.push(i);
    const seen: number[] = [];
    b.find(0, (v) => (seen.push(v), false));
    expect(seen).toEqual([3, 4, 5]);
  });

  it('with capacity 0 keeps nothing but still counts', () => {
    const b = new EventBuffer<number>(0);
    b.push(1);
    expect(b.lastSeq).toBe(1);
    expect(b.find(0, () => true)).toBeUndefined();
  });
});
