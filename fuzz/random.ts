/**
 * A small seeded random number generator.  Every input of a fuzz run draws
 * from its own generator, seeded from (run seed, input index), so that one
 * input can be rebuilt alone (`--only N`) exactly as the run built it.
 */

/** 32-bit FNV-1a over a string, then a final avalanche. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  /** The generator of input `index` in a run seeded with `seed`. */
  static forInput(seed: number, index: number): Rng {
    return new Rng(`${seed}:${index}`);
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** An integer in [lo, hi] drawn evenly over orders of magnitude, so that
   *  small and huge sizes both come up. */
  logBetween(lo: number, hi: number): number {
    const l = Math.log(Math.max(lo, 1));
    return Math.min(hi, Math.max(lo, Math.round(Math.exp(l + this.next() * (Math.log(hi) - l)))));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: nothing to pick from');
    return items[this.below(items.length)]!;
  }

  /** Picks by weight: `[[weight, item], ...]`. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    const total = table.reduce((n, [w]) => n + w, 0);
    let r = this.next() * total;
    for (const [w, item] of table) {
      r -= w;
      if (r < 0) return item;
    }
    return table[table.length - 1]![1];
  }
}
