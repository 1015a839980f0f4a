/**
 * Text as comments may hold it.  Doc text and file names come from the
 * schema's author; a comment copies them, but not the characters that
 * change how a file reads rather than what it says: the C0 controls but
 * TAB and LF (NUL, ESC, VT, FF, CR...), DEL, the C1 controls, U+2028 and
 * U+2029 (line terminators to JavaScript), the bidirectional formatting
 * controls (which make text display in another order than a compiler reads
 * it), and lone surrogates (no character at all).  Each is written `U+XXXX`
 * instead: visible, plain text to TSDoc and markdown, and the same in
 * prose, code spans and fences.  Everything else is kept as it is.
 */

/** What a comment does not hold as it is. */
const HIDDEN = /[\0-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with each character a comment does not hold as `U+XXXX`. */
export function commentText(text: string): string {
  return text.replace(HIDDEN, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
