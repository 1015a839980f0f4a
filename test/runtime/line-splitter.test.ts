import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../runtime/line-splitter.js';

function collect(max: number) {
  const lines: string[] = [];
  const oversized: string[] = [];
  const splitter = new LineSplitter(max, { line: (t) => lines.push(t), oversized: (e) => oversized.push(e) });
  return { lines, oversized, push: (s: string | Buffer) => splitter.push(typeof s === 'string' ? Buffer.from(s) : s) };
}

describe('LineSplitter', () => {
  it('splits CRLF and LF lines across arbitrary chunk boundaries', () => {
    const c = collect(100);
    c.push('{"a":1}\r\n{"b"');
    c.push(':2}\n{"c":3}\r');
    c.push('\n');
    expect(c.lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('reassembles multi-byte characters split between chunks', () => {
    const c = collect(100);
    const bytes = Buffer.from('"é✓"\n');
    for (const b of bytes) c.push(Buffer.from([b]));
    expect(c.lines).toEqual(['"é✓"']);
  });

  it('drops a line longer than the limit once, whether it arrives whole or in pieces', () => {
    const c = collect(10);
    c.push('0123456789\n'); // exactly at the limit: kept
    c.push('0123456789AB\nok\n'); // whole and too long
    c.push('abcdefgh');
    c.push('ijklmnop'); // exceeds while still incomplete
    c.push('qrstuv\nafter\n');
    expect(c.lines).toEqual(['0123456789', 'ok', 'after']);
    expect(c.oversized).toHaveLength(2);
    expect(c.oversized[1]).toBe('abcdefgh');
  });

  it('does not count the CR of CRLF towards the limit', () => {
    const c = collect(3);
    c.push('abc\r');
    c.push('\n');
    expect(c.lines).toEqual(['abc']);
    expect(c.oversized).toEqual([]);
  });
});
