// Shared helpers for the benchmarks: timing, medians and the printed table.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package's bin, as users run it: every bench times the same entry. */
export const CLI = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['qapi-ts']);

/**
 * Node 20 reads the certificates of the file NODE_EXTRA_CA_CERTS names as
 * it starts, before a program's first line (Node 22 and 24 wait until a TLS
 * connection needs them).  Where the variable is set, every Node 20 process
 * pays for it: about 50 ms on the project's machine, where the sandbox sets
 * it for every process, against a start-up of about 30 ms without it.  No
 * QMP or file work of qapi-ts opens a TLS connection, and QEMU's Python
 * front end never pays it, so a bench that holds a Node process to a
 * Python one times ours both ways: in the environment as it is, and
 * without that variable, as most machines run it (the goal's row).
 */
export const EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;

/** This process's environment without NODE_EXTRA_CA_CERTS. */
export function envWithoutExtraCerts() {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * The environments a Node process of a bench is timed in: `goal` is the
 * one the goal is judged in (without NODE_EXTRA_CA_CERTS), `asIs`, where
 * the variable is set, the machine's own (null where it is not set: then
 * the two are one).
 */
export const NODE_ENVS = {
  goal: envWithoutExtraCerts(),
  asIs: EXTRA_CA_CERTS === undefined ? null : process.env,
};

/** The words a row timed without the variable carries, where it is set. */
export const GOAL_ENV_NOTE = EXTRA_CA_CERTS === undefined ? '' : ' (without NODE_EXTRA_CA_CERTS)';
export const AS_IS_ENV_NOTE = ' (NODE_EXTRA_CA_CERTS set, as on this machine)';

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
