/**
 * `qapi-ts diff OLD NEW [--old-qemu-version V] [--new-qemu-version V] [--json]`:
 * what changes for a client moving from OLD to NEW (each a schema's root
 * file or a captured query-qmp-schema reply).  Exit 5 when something
 * breaks; see compare/diff.ts for what counts as breaking where.
 */
import type { Command } from 'commander';
import { differenceJson } from '../compare/compare.js';
import { diffModels, type DiffChange, type DiffReport } from '../compare/diff.js';
import { fileSource, readInput } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addSideLanguageOption, sideLanguage, sideSpelling } from './language.js';

interface DiffFlags {
  oldQemuVersion?: string;
  newQemuVersion?: string;
  json?: boolean;
}

const SECTIONS: readonly [DiffChange['section'], string][] = [
  ['breaking', 'Breaking'],
  ['caution', 'Caution (nothing fails, but exhaustive handling of what is read may be surprised)'],
  ['compatible', 'Compatible'],
  ['deprecation', 'Deprecations'],
  ['unstable', 'Unstable'],
];

export function registerDiff(program: Command, io: CliIo): void {
  const command = program
    .command('diff')
    .description("what changes for a client from OLD to NEW (schemas or captured introspection); exit 5 when something breaks")
    .argument('<old>', "the old side: a schema's root file or a query-qmp-schema capture")
    .argument('<new>', 'the new side, likewise');
  addSideLanguageOption(addSideLanguageOption(command, 'old'), 'new')
    .option('--json', 'print the report as JSON')
    .action(async (oldPath: string, newPath: string, flags: DiffFlags) => {
      // A hint to read a side in another release's language names that side's flag.
      const old = await readInput(fileSource('file', oldPath, sideLanguage(flags.oldQemuVersion)), io, sideSpelling('old'));
      const next = await readInput(fileSource('file', newPath, sideLanguage(flags.newQemuVersion)), io, sideSpelling('new'));
      const report = diffModels(old.model, next.model, { exactIntegers: old.origin === 'schema' && next.origin === 'schema' });
      const header = { old: old.label, new: next.label };
      io.stdout(flags.json ? `${JSON.stringify({ ...header, counts: report.counts, changes: report.changes.map(changeJson) }, null, 2)}\n` : diffText(header, report));
      if (report.breaking) throw new CliExit(EXIT.differences, `qapi-ts: diff: ${report.counts.breaking} breaking change(s)`);
    });
}

function changeJson(c: DiffChange): object {
  return { [c.root.kind]: c.root.name, path: c.path, section: c.section, severity: c.severity, message: c.message, difference: differenceJson(c.difference) };
}

function diffText(header: { old: string; new: string }, report: DiffReport): string {
  const n = report.counts;
  const lines = [
    `${header.old} → ${header.new}: ${n.breaking} breaking, ${n.caution} caution, ${n.compatible} compatible; ${n.deprecation} deprecation(s), ${n.unstable} unstable`,
  ];
  for (const [section, title] of SECTIONS) {
    const changes = report.changes.filter((c) => c.section === section);
    if (changes.length === 0) continue;
    lines.push('', `${title}:`);
    for (const c of changes) lines.push(`  ${c.root.kind} ${c.root.name}${c.path ? ` ${c.path}` : ''}: ${c.message}`);
  }
  return `${lines.join('\n')}\n`;
}
