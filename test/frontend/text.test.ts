/**
 * Whitespace as Python's str methods see it (source/text.ts): the wanted
 * values are what Python 3 answers for the same strings.
 */
import { describe, expect, it } from 'vitest';
import { leadingSpace, pythonRstrip, pythonStrip } from '../../generator/source/text.js';

describe('pythonRstrip (s.rstrip())', () => {
  it.each([
    ['a \t\n', 'a'],
    ['a\u3000', 'a'],
    ['', ''],
    ['   ', ''],
    ['x~', 'x~'],
    ['a\x85', 'a'],
    ['a\xa0b\xa0', 'a\xa0b'],
    ['\x1f', ''],
    ['a\x7f', 'a\x7f'],
  ])('%j -> %j', (given, want) => {
    expect(pythonRstrip(given)).toBe(want);
  });
});

describe('leadingSpace (len(s) - len(s.lstrip()))', () => {
  it.each([
    ['  \u2000x', 3],
    ['x', 0],
    ['', 0],
    ['   ', 3],
    ['\t\tq ', 2],
    ['\x0b\x0cz', 2],
    [' \x7f', 1],
  ])('%j -> %d', (given, want) => {
    expect(leadingSpace(given)).toBe(want);
    // The regex it uses is sticky and shared: a second call answers alike.
    expect(leadingSpace(given)).toBe(want);
  });
});

describe('pythonStrip (s.strip())', () => {
  it.each([
    ['  a b \n', 'a b'],
    ['\u3000\x85x\xa0', 'x'],
    ['', ''],
  ])('%j -> %j', (given, want) => {
    expect(pythonStrip(given)).toBe(want);
  });
});
