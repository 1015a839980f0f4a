/**
 * Keeps a failing input: the whole schema as the run saw it, what was done
 * to it, how the run failed, and a script that repeats the run; and, when
 * asked, the input shrunk to what still fails alike.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Minimized } from './minimize.js';
import { materialize, type Mutant } from './mutant.js';
import type { RunResult, Verdict } from './outcome.js';
import { CLI_SCRIPT } from './paths.js';

/** Writes DIR/NAME.sh, which runs qapi-ts with `args` in DIR/SCHEMA_DIR. */
function writeScript(dir: string, name: string, schemaDir: string, header: readonly string[], args: readonly string[]): void {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const path = join(dir, `${name}.sh`);
  const lines = ['#!/bin/sh', ...header.map((h) => `# ${h}`), `cd "$(dirname "$0")/${schemaDir}" && exec node '${CLI_SCRIPT}' ${quoted}`, ''];
  writeFileSync(path, lines.join('\n'));
  chmodSync(path, 0o755);
}

/** Writes FAILURES/RELEASE-sSEED-iINDEX/ and returns its path. */
export function saveFailure(
  failuresDir: string,
  mutant: Mutant,
  /** How the run went (an InputReport will do). */
  report: { readonly result: RunResult; readonly verdict: Verdict },
  args: readonly string[],
  rerun: string | undefined,
): string {
  const dir = join(failuresDir, `${mutant.corpus.name}-s${mutant.seed}-i${mutant.index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  materialize(mutant, join(dir, 'schema'));
  const failure = report.verdict.ok ? 'none' : `${report.verdict.kind}: ${report.verdict.detail}`;
  writeScript(dir, 'repro', 'schema', [`qapi-ts fuzz: corpus ${mutant.corpus.name}, seed ${mutant.seed}, input ${mutant.index}`, `failure: ${failure}`], args);
  const changed = [...mutant.files.keys(), ...mutant.specials.map((s) => `${s.path} (${s.kind})`)];
  writeFileSync(
    join(dir, 'report.txt'),
    [
      `corpus:     ${mutant.corpus.name} (${mutant.corpus.dir})`,
      `seed/index: ${mutant.seed} / ${mutant.index}`,
      ...(rerun ? [`rebuild:    ${rerun}`] : []),
      `failure:    ${failure}`,
      `exit code:  ${report.result.code ?? '(none)'}, ${Math.round(report.result.ms)} ms wall, ${Math.round(report.result.cpuMs)} ms CPU, peak RSS ${Math.round(report.result.peakRss / 2 ** 20)} MiB`,
      `changed:    ${changed.join(', ')}`,
      'operations:',
      ...mutant.operations.map((o) => `  ${o}`),
      'stderr:',
      report.result.stderr.slice(0, 4000),
      '',
    ].join('\n'),
  );
  return dir;
}

/** Writes the shrunk input beside the failure kept in `dir`: minimized/
 *  and repro-minimized.sh. */
export function saveMinimized(dir: string, mutant: Mutant, minimized: Minimized, args: readonly string[]): void {
  materialize({ ...mutant, corpus: { ...mutant.corpus, files: new Map() }, files: minimized.files }, join(dir, 'minimized'));
  const bytes = [...minimized.files.values()].reduce((n, b) => n + b.length, 0);
  writeScript(dir, 'repro-minimized', 'minimized', [`repro.sh's input shrunk to ${bytes} bytes (${minimized.tries} runs); it fails alike`], args);
}
