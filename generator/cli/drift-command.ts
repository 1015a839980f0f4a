/**
 * `qapi-ts drift SCHEMA (--introspection FILE | --qemu BINARY) [--qemu-version X.Y] [--json]`:
 * what a QEMU binary accepts against its source schema.  Exit 0 when every
 * difference is explained by an 'if' condition the binary was built
 * without, 5 when something else differs.
 */
import type { Command } from 'commander';
import { differenceJson } from '../compare/compare.js';
import { drift, type DriftItem, type DriftReport } from '../compare/drift.js';
import { versionText } from '../introspect/index.js';
import { addIntrospectionOptions, fileSource, introspectionSource, readInput, wantsIntrospection, type IntrospectionFlags } from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';

interface DriftFlags extends IntrospectionFlags {
  json?: boolean;
}

export function registerDrift(program: Command, io: CliIo): void {
  const command = program
    .command('drift')
    .description("compare what a QEMU binary reports (its introspection) with its source schema; exit 5 when something differs that no 'if' condition explains")
    .argument('<schema>', 'the root schema file');
  addIntrospectionOptions(addLanguageOptions(command), false)
    .option('--json', 'print the report as JSON')
    .action(async (schemaPath: string, flags: DriftFlags) => {
      if (!wantsIntrospection(flags)) throw new CliExit(EXIT.usage, 'qapi-ts: drift needs --introspection FILE or --qemu BINARY');
      const schema = await readInput(fileSource('schema', schemaPath, flags), io);
      const binary = await readInput(introspectionSource({ introspection: flags.introspection, qemu: flags.qemu }), io);
      const report = drift(schema.model, binary.model);
      const version = binary.introspection?.version;
      const header = { schema: schema.label, binary: binary.name, qemu: version ? versionText(version) : null };
      io.stdout(flags.json ? `${JSON.stringify(driftJson(header, report), null, 2)}\n` : driftText(header, report));
      if (report.unexplained.length > 0) {
        throw new CliExit(EXIT.differences, `qapi-ts: drift: ${report.unexplained.length} difference(s) no 'if' condition explains`);
      }
    });
}

interface Header {
  readonly schema: string;
  readonly binary: string;
  readonly qemu: string | null;
}

function itemJson(i: DriftItem): object {
  return { where: i.where, what: i.what, ...(i.condition ? { condition: i.condition } : {}), difference: differenceJson(i.difference) };
}

function driftJson(header: Header, report: DriftReport): object {
  return {
    ...header,
    unexplained: report.unexplained.map(itemJson),
    explained: report.explained.map(itemJson),
  };
}

function driftText(header: Header, report: DriftReport): string {
  const lines = [
    `${header.schema} against ${header.binary}${header.qemu ? ` (QEMU ${header.qemu})` : ''}: ` +
      `${report.unexplained.length} unexplained difference(s), ${report.explained.length} explained by 'if' conditions`,
  ];
  if (report.unexplained.length > 0) {
    lines.push('', 'Unexplained:');
    for (const i of report.unexplained) lines.push(`  ${i.where}: ${i.what}`);
  }
  if (report.explained.length > 0) {
    lines.push('', 'Explained (the binary was built without the condition):');
    const byCondition = new Map<string, DriftItem[]>();
    for (const i of report.explained) byCondition.set(i.condition!, [...(byCondition.get(i.condition!) ?? []), i]);
    for (const [condition, items] of byCondition) {
      lines.push(`  if ${condition}:`);
      for (const i of items) lines.push(`    ${i.where}: ${i.what}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
