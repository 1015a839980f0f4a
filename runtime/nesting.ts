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

/** Thrown by an untracked descent past MAX_NESTING: the walk is done again, tracked. */
const RETRACE: unique symbol = Symbol('retrace');

/**
 * How deep a walk over a value has gone.  Untracked, it only counts
 * levels, which costs next to nothing; past MAX_NESTING (a value that deep,
 * or one holding itself) the walk is done again tracked, keeping the
 * containers on the way down, so that a cycle is told at its first
 * repetition (counting alone would walk a value that holds itself twice
 * over exponentially many paths before reaching the bound).
 */
export class Descent {
  private depth = 0;
  private readonly path: Set<object> | undefined;

  constructor(tracked: boolean) {
    this.path = tracked ? new Set() : undefined;
  }

  /** Goes into `value`: undefined, or (tracked) why not: too deep, or a cycle. */
  enter(value: object): string | undefined {
    if (this.path === undefined) {
      if (++this.depth > MAX_NESTING) throw RETRACE;
      return undefined;
    }
    if (this.path.size >= MAX_NESTING) return `nested deeper than ${MAX_NESTING} levels`;
    if (this.path.has(value)) return 'holds itself (a cycle)';
    this.path.add(value);
    return undefined;
  }

  /** Comes back out of what enter() went into. */
  leave(value: object): void {
    if (this.path === undefined) this.depth--;
    else this.path.delete(value);
  }
}

/** Runs `walk` untracked, and again tracked if the value turned out that deep (see Descent). */
export function boundedWalk<T>(walk: (descent: Descent) => T): T {
  try {
    return walk(new Descent(false));
  } catch (err) {
    if (err !== RETRACE) throw err;
    return walk(new Descent(true));
  }
}
