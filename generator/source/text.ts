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
const LEADING_SPACE = new RegExp(`^[${PYTHON_SPACE_CLASS}]*`);
const TRAILING_SPACE = new RegExp(`[${PYTHON_SPACE_CLASS}]+$`);

/** Whether one character is whitespace to Python (and so to QEMU). */
export function isPythonSpace(ch: string): boolean {
  return SPACE.test(ch);
}

/** Python's `s.rstrip()`. */
export function pythonRstrip(s: string): string {
  return s.replace(TRAILING_SPACE, '');
}

/** Python's `s.strip()`. */
export function pythonStrip(s: string): string {
  return pythonRstrip(s).replace(LEADING_SPACE, '');
}

/** How many characters of whitespace `s` starts with (`re.match(r'\s*', s).end()`). */
export function leadingSpace(s: string): number {
  return LEADING_SPACE.exec(s)![0].length;
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
