/**
 * Runs one of `npm run bench`'s benchmarks from a test, so that a moved
 * module or a broken bench shows in the test run rather than on the next
 * bench run.  Tests assert what the bench reports, never a time.
 */

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Calls `fn` of bench/`file` with `options`. */
export async function runBench(file: string, fn: string, options: object): Promise<BenchRow[]> {
  // The benches are plain JavaScript without declarations: imported by a
  // path TypeScript does not follow.
  const path = `../../bench/${file}`;
  const mod = (await import(path)) as Record<string, (o: object) => Promise<BenchRow[]>>;
  const bench = mod[fn];
  if (bench === undefined) throw new Error(`bench/${file} has no ${fn}`);
  return bench(options);
}
