import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQmpJson, stringifyQmpJson } from '../../runtime/json.js';

describe('parseQmpJson', () => {
  it('keeps safe integers as numbers and turns larger ones into bigint', () => {
    const v = parseQmpJson(
      '{"a": 9007199254740991, "b": 9007199254740992, "c": 18446744073709551615, "d": -9223372036854775808, "e": -9007199254740991, "f": 1.5}',
    );
    expect(v).toEqual({ a: 9007199254740991, b: 9007199254740992n, c: 18446744073709551615n, d: -9223372036854775808n, e: -9007199254740991, f: 1.5 });
  });

  it('parses non-integers, exponents and long decimals as numbers', () => {
    expect(parseQmpJson('[1e3, 0.12345678901234567890, -2.5E-3, 12345678901234567890.5]')).toEqual([
      1000, 0.1234567890123456789, -0.0025, 12345678901234567890.5,
    ]);
  });

  it('agrees with JSON.parse when a long digit run sits inside a string', () => {
    const text = '{"s": "12345678901234567890", "n": 3, "dup": 1, "dup": 2}';
    expect(parseQmpJson(text)).toEqual(JSON.parse(text));
  });

  it('throws SyntaxError on malformed input', () => {
    expect(() => parseQmpJson('{"a": ')).toThrow(SyntaxError);
    expect(() => parseQmpJson('{"a": 12345678901234567890')).toThrow();
  });
});

describe('stringifyQmpJson', () => {
  it('writes bigint exactly and never emits raw newlines', () => {
    const text = stringifyQmpJson({ big: 2n ** 64n - 1n, neg: -(2n ** 63n), s: 'line1\nline2', nested: [{ x: 1n }] });
    expect(text).toBe('{"big":18446744073709551615,"neg":-9223372036854775808,"s":"line1\\nline2","nested":[{"x":1}]}');
    expect(text).not.toContain('\n');
  });

  it('matches JSON.stringify when there is no bigint', () => {
    const v = { a: 1, b: [true, null, 'x'], c: { d: 2.5 }, u: undefined };
    expect(stringifyQmpJson(v)).toBe(JSON.stringify(v));
  });

  it('rejects values without a JSON form', () => {
    expect(() => stringifyQmpJson(undefined)).toThrow(TypeError);
  });

  it('round-trips any 64-bit integer exactly, as number when safe and bigint otherwise', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (n) => {
        const back = (parseQmpJson(stringifyQmpJson({ n })) as { n: unknown }).n;
        const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(back).toStrictEqual(safe ? Number(n) : n);
      }),
    );
  });
});
