/**
 * Lossless JSON for the QMP wire.
 *
 * QEMU uses 64-bit integers freely (sizes, offsets, uint64 properties), which a
 * plain `JSON.parse` would silently round. Integers outside the safe range are
 * therefore decoded as `bigint`; everything else stays a `number` so ordinary
 * code is not burdened with bigint arithmetic. A number beyond the range of a
 * double (`1e400`), which `JSON.parse` turns into `Infinity`, is an error.
 */
import { isInteger, parse, stringify } from 'lossless-json';
import { MAX_NESTING, nestsDeeperThan } from './nesting.js';

/**
 * Only text with a 16+ digit run or a 3-digit exponent can hold a number
 * that loses precision or overflows; the native parser takes everything else.
 */
const NEEDS_CAREFUL_PARSE = /\d{16}|\d[eE][+-]?\d{3}/;

/** A number literal too large for a double; JSON.parse would make it ±Infinity. */
export class JsonNumberRangeError extends SyntaxError {
  override readonly name = 'JsonNumberRangeError';

  constructor(
    /** The literal as written. */
    readonly literal: string,
    /** The text parsed with the literal as ±Infinity, for whatever else it says (an id). */
    readonly lenient: unknown,
  ) {
    super(`number ${literal.length > 40 ? `${literal.slice(0, 40)}...` : literal} is beyond the range of a double`);
  }
}

/** A message nested deeper than MAX_NESTING levels. */
export class JsonNestingError extends SyntaxError {
  override readonly name = 'JsonNestingError';

  constructor(
    /** The text parsed all the same (the native parser does not recurse), for whatever else it says (an id). */
    readonly lenient: unknown,
  ) {
    super(`nested deeper than ${MAX_NESTING} levels of objects and arrays`);
  }
}

class Overflow extends Error {
  constructor(readonly literal: string) {
    super(literal);
  }
}

function parseNumber(literal: string): number | bigint {
  if (isInteger(literal)) {
    const asNumber = Number(literal);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
  }
  const value = Number(literal);
  if (!Number.isFinite(value)) throw new Overflow(literal);
  return value;
}

/** Same duplicate-key rule as JSON.parse (last wins), so both paths agree. */
const onDuplicateKey = ({ newValue }: { newValue: unknown }): unknown => newValue;

/**
 * Parse one QMP message. Throws SyntaxError on malformed input, and its
 * subclasses JsonNumberRangeError for a number beyond the range of a
 * double and JsonNestingError for a message nested deeper than MAX_NESTING.
 */
export function parseQmpJson(text: string): unknown {
  if (nestsDeeperThan(text, MAX_NESTING)) throw new JsonNestingError(lenientParse(text));
  // Fast path: the native parser is several times faster than the lossless one.
  if (!NEEDS_CAREFUL_PARSE.test(text)) return JSON.parse(text);
  try {
    return parse(text, null, { parseNumber, onDuplicateKey });
  } catch (err) {
    if (!(err instanceof Overflow)) throw err;
    const lenient = parse(text, null, { parseNumber: (l: string) => (isInteger(l) ? parseNumber(l) : Number(l)), onDuplicateKey });
    throw new JsonNumberRangeError(err.literal, lenient);
  }
}

/** What the native parser makes of text (undefined when it is no JSON). */
function lenientParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Serialize a value for the wire: bigint becomes an exact integer literal and
 * the result never contains a raw newline (QMP is line-delimited for us).
 */
export function stringifyQmpJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    // JSON.stringify refuses bigint with a TypeError; only then pay for the
    // slower lossless serializer. Other errors (cycles) are real.
    if (!(err instanceof TypeError) || !/BigInt/i.test(err.message)) throw err;
    text = stringify(value);
  }
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}
