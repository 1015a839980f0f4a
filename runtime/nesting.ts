/** The bound on how deeply values nest, shared by the parser and every walk over values. */

/**
 * How deeply a message may nest objects and arrays.  QEMU's own JSON parser
 * refuses input nested deeper than 1024 levels too; the bound keeps every
 * reader of a message (the lossless parser, the bindings' reading, the
 * validators) within the call stack, whatever a peer sends.
 */
export const MAX_NESTING = 1024;

/** Whether `text` nests objects and arrays deeper than `max` (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Each level takes an opening and a closing character: short text cannot.
  if (text.length < 2 * (max + 1)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // To the closing quote, over escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

