/**
 * Runs one of `npm run bench`'s benchmarks from a test, so that a moved
 * module or a broken bench shows in the test run rather than on the next
 * bench run.  Tests assert what the bench reports means (which rows, from
 * which inputs, each ratio the quotient of the two rows it names), never a
 * time: speed is the bench's.
 */

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** For a ratio (unit `x`): the names of the two rows it divides (bench/table.mjs, ratioRow). */
  readonly of?: readonly [numerator: string, denominator: string];
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

/**
 * What is wrong with a table's ratios: each row in `x` must name two rows
 * of the same table, in one unit, and be their quotient; each other row a
 * finite figure.  One line per fault.
 */
export function ratioProblems(rows: readonly BenchRow[]): string[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const problems: string[] = [];
  for (const r of rows) {
    if (!Number.isFinite(r.value)) problems.push(`${r.name}: ${r.value}`);
    if (r.unit !== 'x') continue;
    const [a, b] = (r.of ?? []).map((name) => byName.get(name));
    if (a === undefined || b === undefined) problems.push(`${r.name}: does not name two rows of the table (${JSON.stringify(r.of)})`);
    else if (a.unit !== b.unit) problems.push(`${r.name}: divides ${a.unit} by ${b.unit}`);
    else if (r.value !== a.value / b.value) problems.push(`${r.name}: ${r.value}, not ${a.value} / ${b.value}`);
  }
  return problems;
}
