/**
 * Near misses: which of a set of names a mistyped one was probably meant
 * to be, for "did you mean" hints.
 */

/** Words longer than this get no hints (the distance costs length squared). */
const LONGEST_WORD = 64;

/** Names compare alike whatever their case and '-' or '_'. */
function normal(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b, or Infinity past `most`. */
function distance(a: string, b: string, most: number): number {
  if (Math.abs(a.length - b.length) > most) return Infinity;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      best = Math.min(best, d);
    }
    if (best > most) return Infinity;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates `word` is closest to, closest first (at most `limit`):
 * those equal to it but for case and '-'/'_', else within one edit per
 * three characters (at least one), and at most one edit farther than the
 * closest of them.
 */
export function nearMisses(word: string, candidates: readonly string[], limit = 3): string[] {
  if (word.length > LONGEST_WORD) return [];
  const key = normal(word);
  const most = Math.max(1, Math.floor(key.length / 3));
  const scored: [name: string, score: number][] = [];
  for (const name of candidates) {
    if (name === word) continue;
    const d = distance(key, normal(name), most);
    if (d <= most) scored.push([name, d]);
  }
  // A close match makes far ones noise: keep those within one edit of the best.
  const best = Math.min(...scored.map(([, d]) => d));
  return scored
    .filter(([, d]) => d <= best + 1)
    .sort((x, y) => x[1] - y[1])
    .slice(0, limit)
    .map(([name]) => name);
}
