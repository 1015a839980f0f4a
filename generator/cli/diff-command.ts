/**
 * `qapi-ts diff OLD NEW [--old-qemu-version V] [--new-qemu-version V] [--json]`:
 * what changes for a client moving from OLD to NEW (each a schema's root
 * file or a captured query-qmp-schema reply).  Exit 5 when something
 * breaks; see compare/diff.ts for what counts as breaking where.
 */
import type { Command } from 'commander';
import { differenceJson } from '../compare/compare.js';
import { diffModels, type DiffChange, type DiffReport } from '../compare/diff.js';
import { DEFAULT_QEMU_RELEASE } from '../source/language.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { loadModelInput, sideLanguage } from './model-input.js';

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
  program
    .command('diff')
    .description("what changes for a client from OLD to NEW (schemas or captured introspection); exit 5 when something breaks")
    .argument('<old>', "the old side: a schema's root file or a query-qmp-schema capture")
    .argument('<new>', 'the new side, likewise')
    .option('--old-qemu-version <X.Y>', `the old schema's language, as of this QEMU release (1.3: the 2012 dialect; default ${DEFAULT_QEMU_RELEASE})`)
    .option('--new-qemu-version <X.Y>', `the new schema's language (default ${DEFAULT_QEMU_RELEASE})`)
    .option('--json', 'print the report as JSON')
    .action((oldPath: string, newPath: string, flags: DiffFlags) => {
      const old = loadModelInput(oldPath, sideLanguage(flags.oldQemuVersion), io);
      const next = loadModelInput(newPath, sideLanguage(flags.newQemuVersion), io);
      const report = diffModels(old.model, next.model, { exactIntegers: old.kind === 'schema' && next.kind === 'schema' });
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
