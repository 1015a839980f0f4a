/**
 * Text as QEMU's Python front end sees it.
 *
 * QEMU reads schema files with Python's universal newlines, skips between
 * tokens whatever `str.isspace()` calls whitespace, and its doc-comment
 * regexes use `\s`, which for Python strings means the same set.  These
 * helpers are the one place that set is written down; the grammar asks
 * `isPythonSpace` for everything but the plain space and newline.
 */

/** Python's `str.isspace()` characters, as a regex character-class body. */
export const PYTHON_SPACE_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const SPACE = new RegExp(`^[${PYTHON_SPACE_CLASS}]$`);
const LEADING_SPACE = new RegExp(`[${PYTHON_SPACE_CLASS}]*`, 'y');

/** Whether the UTF-16 unit is whitespace to Python: the same set as the
 *  class above, decided without a regex for the common characters. */
function isSpaceCode(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f)) return true;
  return c >= 0x85 && SPACE.test(String.fromCharCode(c));
}

/** Whether one character is whitespace to Python (and so to QEMU). */
export function isPythonSpace(ch: string): boolean {
  return ch.length === 1 && isSpaceCode(ch.charCodeAt(0));
}

// The helpers below only look at the whitespace they strip or count, so
// their cost is that of the indentation, not of the text.  (A regex for the
// leading run, which is often several characters of indentation, beats a
// loop in V8's interpreter, where a short CLI run spends its time.)

/** Python's `s.rstrip()`. */
export function pythonRstrip(s: string): string {
  let end = s.length;
  // Most text ends in a printable ASCII character: no call, no loop.
  const last = end === 0 ? 0 : s.charCodeAt(end - 1);
  if (last > 32 && last < 0x7f) return s;
  while (end > 0 && isSpaceCode(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** How long the match of the sticky `pattern` at the start of `s` is, or
 *  -1 where it does not match: test() and lastIndex, where exec() would
 *  make a match for a length. */
export function matchedLength(pattern: RegExp, s: string): number {
  pattern.lastIndex = 0;
  return pattern.test(s) ? pattern.lastIndex : -1;
}

/** How many characters of whitespace `s` starts with (`re.match(r'\s*', s).end()`). */
export function leadingSpace(s: string): number {
  if (s === '' || !isSpaceCode(s.charCodeAt(0))) return 0;
  return matchedLength(LEADING_SPACE, s);
}

/** Python's `s.strip()`. */
export function pythonStrip(s: string): string {
  const right = pythonRstrip(s);
  const left = leadingSpace(right);
  return left === 0 ? right : right.slice(left);
}

/** Python's `s.strip(chars)` for a set of plain characters. */
export function stripChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** Python's universal newlines: CRLF and a lone CR each end a line. */
export function universalNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Python's `len()`: code points, not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
