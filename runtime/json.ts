/**
 * Lossless JSON for the QMP wire.
 *
 * QEMU uses 64-bit integers freely (sizes, offsets, uint64 properties), which a
 * plain `JSON.parse` would silently round. Integers outside the safe range are
 * therefore decoded as `bigint`; everything else stays a `number` so ordinary
 * code is not burdened with bigint arithmetic.
 */
import { isInteger, parse, stringify } from 'lossless-json';

/** Any integer literal of 16+ digits may be unsafe; shorter ones never are. */
const LONG_DIGIT_RUN = /\d{16}/;

function parseNumber(literal: string): number | bigint {
  if (isInteger(literal)) {
    const asNumber = Number(literal);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
  }
  return Number(literal);
}

/** Same duplicate-key rule as JSON.parse (last wins), so both paths agree. */
const parseOptions = {
  parseNumber,
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

/**
 * Parse one QMP message. Throws SyntaxError on malformed input.
 */
export function parseQmpJson(text: string): unknown {
  // Fast path: without a long digit run nothing can lose precision, and the
  // native parser is several times faster than the lossless one.
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return parse(text, null, parseOptions);
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
