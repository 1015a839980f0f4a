/**
 * String literals and property keys as generated code writes them: in the
 * form prettier gives them (single quotes unless the text holds more of
 * them than double quotes; keys bare where they are identifiers), and
 * ASCII only, so that a printed line's width is its length.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string literal holding `text`. */
export function quoteString(text: string): string {
  let singles = 0;
  let doubles = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) singles++;
    else if (c === 34) doubles++;
  }
  const quote = singles > doubles ? '"' : "'";
  let body = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === quote) body += `\\${ch}`;
    else if (SHORT_ESCAPES[ch] !== undefined) body += SHORT_ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) {
      // Every UTF-16 unit of the character, so astral ones stay exact.
      for (let i = 0; i < ch.length; i++) body += hex4(ch.charCodeAt(i));
    } else body += ch;
  }
  return `${quote}${body}${quote}`;
}

/** A property key: bare when it is an identifier, else a string literal. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quoteString(name);
}
