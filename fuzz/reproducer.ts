/**
 * Keeps a failing input: the whole schema as the run saw it, what was done
 * to it, how the run failed, and a script that repeats the run.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputReport } from './campaign.js';
import { materialize, type Mutant } from './mutant.js';
import { CLI_SCRIPT } from './paths.js';

/** Writes FAILURES/RELEASE-sSEED-iINDEX/ and returns its path. */
export function saveFailure(
  failuresDir: string,
  mutant: Mutant,
  report: InputReport,
  args: readonly string[],
  rerun: string | undefined,
): string {
  const dir = join(failuresDir, `${mutant.corpus.name}-s${mutant.seed}-i${mutant.index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  materialize(mutant, join(dir, 'schema'));
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  writeFileSync(
    join(dir, 'repro.sh'),
    [
      '#!/bin/sh',
      `# qapi-ts fuzz: corpus ${mutant.corpus.name}, seed ${mutant.seed}, input ${mutant.index}`,
      `# failure: ${report.verdict.ok ? 'none' : `${report.verdict.kind}: ${report.verdict.detail}`}`,
      `cd "$(dirname "$0")/schema" && exec node '${CLI_SCRIPT}' ${quoted}`,
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'repro.sh'), 0o755);
  const changed = [...mutant.files.keys(), ...mutant.specials.map((s) => `${s.path} (${s.kind})`)];
  writeFileSync(
    join(dir, 'report.txt'),
    [
      `corpus:     ${mutant.corpus.name} (${mutant.corpus.dir})`,
      `seed/index: ${mutant.seed} / ${mutant.index}`,
      ...(rerun ? [`rebuild:    ${rerun}`] : []),
      `failure:    ${report.verdict.ok ? 'none' : `${report.verdict.kind}: ${report.verdict.detail}`}`,
      `exit code:  ${report.result.code ?? '(none)'}, ${Math.round(report.result.ms)} ms, peak RSS ${Math.round(report.result.peakRss / 2 ** 20)} MiB`,
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
