import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../runtime/event-buffer.js';

function held<T>(b: EventBuffer<T>): T[] {
  const seen: T[] = [];
  b.find(0, (v) => (seen.push(v), false));
  return seen;
}

describe('EventBuffer', () => {
  it('numbers entries from 1 and finds the oldest match after a mark', () => {
    const b = new EventBuffer<string>(4, 1000);
    expect(b.lastSeq).toBe(0);
    expect(['a', 'b', 'a'].map((v) => b.push(v, 1))).toEqual([1, 2, 3]);
    expect(b.find(0, (v) => v === 'a')).toBe('a');
    expect(b.find(1, (v) => v === 'b')).toBe('b');
    expect(b.find(2, (v) => v === 'b')).toBeUndefined();
  });

  it('forgets entries older than its capacity', () => {
    const b = new EventBuffer<number>(3, 1000);
    for (let i = 1; i <= 5; i++) b.push(i, 1);
    expect(held(b)).toEqual([3, 4, 5]);
    expect(b.size).toEqual({ count: 3, bytes: 3 });
  });

  it('forgets the oldest entries once their weight passes the byte bound', () => {
    const b = new EventBuffer<string>(10, 100);
    b.push('a', 40);
    b.push('b', 40);
    expect(held(b)).toEqual(['a', 'b']);
    b.push('c', 40); // 120 > 100: 'a' goes
    expect(held(b)).toEqual(['b', 'c']);
    expect(b.size).toEqual({ count: 2, bytes: 80 });
    b.push('huge', 101); // heavier than the bound alone: nothing stays
    expect(held(b)).toEqual([]);
    expect(b.size).toEqual({ count: 0, bytes: 0 });
    expect(b.lastSeq).toBe(4);
    b.push('d', 10);
    expect(held(b)).toEqual(['d']);
  });

  it('with capacity 0 keeps nothing but still counts', () => {
    const b = new EventBuffer<number>(0, 1000);
    b.push(1, 1);
    expect(b.lastSeq).toBe(1);
    expect(b.find(0, () => true)).toBeUndefined();
  });
});
