// Shared helpers for the benchmarks: timing, medians and the printed table.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package's bin, as users run it: every bench times the same entry. */
export const CLI = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['qapi-ts']);

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one whole process, in milliseconds. */
export function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: 'ignore', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}`);
  return ms;
}

export function timeCall(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1)) : String(v));

/** Prints rows { name, value, unit } as an aligned table under a title. */
export function printTable(title, rows) {
  const nameWidth = Math.max(title.length, ...rows.map((r) => r.name.length));
  const valueWidth = Math.max(5, ...rows.map((r) => fmt(r.value).length));
  const unitWidth = Math.max(4, ...rows.map((r) => r.unit.length));
  const line = `+-${'-'.repeat(nameWidth)}-+-${'-'.repeat(valueWidth)}-+-${'-'.repeat(unitWidth)}-+`;
  console.log(line);
  console.log(`| ${title.padEnd(nameWidth)} | ${'value'.padStart(valueWidth)} | ${'unit'.padEnd(unitWidth)} |`);
  console.log(line);
  for (const r of rows) {
    console.log(`| ${r.name.padEnd(nameWidth)} | ${fmt(r.value).padStart(valueWidth)} | ${r.unit.padEnd(unitWidth)} |`);
  }
  console.log(line);
}

/**
 * A ratio row computed from two rows of the same table, naming them
 * (`of`), so that a reader, and the bench tests, can tell what it divides.
 */
export function ratioRow(name, numerator, denominator) {
  if (numerator.unit !== denominator.unit) throw new Error(`${name}: ${numerator.unit} over ${denominator.unit}`);
  return { name, value: numerator.value / denominator.value, unit: 'x', of: [numerator.name, denominator.name] };
}
