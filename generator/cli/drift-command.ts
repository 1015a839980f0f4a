/**
 * `qapi-ts drift SCHEMA (--introspection FILE | --qemu BINARY) [--qemu-version X.Y] [--json]`:
 * what a QEMU binary accepts against its source schema.  Exit 0 when every
 * difference is explained by an 'if' condition the binary was built
 * without, 5 when something else differs.
 *
 * With a span (`--release X.Y=FILE`, repeated, instead of SCHEMA), the
 * binary is compared with the release of the span the client would take
 * it for (the newest not newer than its version, the runtime's own rule):
 * whether the bindings' promises for that release hold for this binary.
 */
import type { Command } from 'commander';
import { chooseRelease } from 'qapi-ts-runtime';
import { differenceJson } from '../compare/compare.js';
import { drift, type DriftItem, type DriftReport } from '../compare/drift.js';
import { versionText } from '../introspect/index.js';
import { releaseName } from '../input/span.js';
import type { InputSource, ReleaseSource, ResolvedInput } from '../input/source.js';
import { compareReleaseNames } from '../span/releases.js';
import { LEGACY_RELEASE } from '../source/language.js';
import {
  addIntrospectionOptions,
  addReleaseOption,
  fileSource,
  introspectionSource,
  readInput,
  releaseFlags,
  wantsIntrospection,
  type IntrospectionFlags,
} from './input.js';
import { CliExit, EXIT, type CliIo } from './io.js';
import { addLanguageOptions } from './language.js';

interface DriftFlags extends IntrospectionFlags {
  json?: boolean;
  release?: string[];
}

export function registerDrift(program: Command, io: CliIo): void {
  const command = program
    .command('drift')
    .description("compare what a QEMU binary reports (its introspection) with its source schema; exit 5 when something differs that no 'if' condition explains")
    .argument('[schema]', 'the root schema file (none with --release)');
  addIntrospectionOptions(addReleaseOption(addLanguageOptions(command), "a span's release and its schema, repeated: the binary is compared with the release the client would take it for"), false)
    .option('--json', 'print the report as JSON')
    .action(async (schemaPath: string | undefined, flags: DriftFlags) => {
      if (!wantsIntrospection(flags)) throw new CliExit(EXIT.usage, 'qapi-ts: drift needs --introspection FILE or --qemu BINARY');
      const releases = flags.release === undefined ? null : releaseFlags(flags.release);
      if (releases !== null && schemaPath !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: drift takes a schema or releases (--release), not both (got '${schemaPath}')`);
      if (releases !== null && (flags.legacy || flags.qemuVersion !== undefined)) {
        throw new CliExit(EXIT.usage, 'qapi-ts: each release of a span is read in its own language; --qemu-version and --legacy do not go with --release');
      }
      if (releases === null && schemaPath === undefined) throw new CliExit(EXIT.usage, 'qapi-ts: drift needs a SCHEMA, or a span (--release X.Y=FILE, repeated)');
      // The schema first (its errors before the binary's); a span's release
      // is chosen by the binary's version, so its schema comes after.
      const given = releases === null ? await readInput(fileSource('schema', schemaPath!, flags), io) : null;
      const binary = await readInput(introspectionSource({ introspection: flags.introspection, qemu: flags.qemu }), io);
      const version = binary.introspection?.version;
      const chosen = releases === null ? null : releaseFor(releases, binary, io);
      const schema = given ?? (await readInput(releaseSchema(chosen!), io));
      const report = drift(schema.model, binary.model);
      const header = {
        schema: chosen === null ? schema.label : `release ${chosen.release} of the span (${schema.label})`,
        binary: binary.name,
        qemu: version ? versionText(version) : null,
        ...(chosen === null ? {} : { release: chosen.release }),
      };
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
  /** With a span: the release the binary was compared with. */
  readonly release?: string;
}

/**
 * The release of the span a binary is taken for, by the client's rule:
 * the newest not newer than its version.  A binary whose version is not
 * known, or older than every release, has none: a usage error saying so.
 */
function releaseFor(releases: readonly ReleaseSource[], binary: ResolvedInput, io: CliIo): ReleaseSource {
  const named = releases.map((r) => ({ ...r, release: releaseName(r.release) })).sort((a, b) => compareReleaseNames(a.release, b.release));
  const version = binary.introspection?.version;
  if (version === undefined || version === null) {
    throw new CliExit(EXIT.usage, `qapi-ts: drift: ${binary.name} names no QEMU version, which chooses the release of a span; give that release's schema instead`);
  }
  const identity = `QEMU ${versionText(version)}`;
  const choice = chooseRelease({ releases: named.map((r) => r.release) }, version, identity);
  if (choice.release === undefined) throw new CliExit(EXIT.usage, `qapi-ts: drift: ${choice.note ?? identity}`);
  if (choice.note !== undefined) io.stderr(`qapi-ts: drift: ${choice.note}\n`);
  return named[choice.index]!;
}

/** A release's schema, read in its release's language. */
function releaseSchema(r: ReleaseSource): InputSource {
  return { kind: 'schema', path: r.path, language: r.release === LEGACY_RELEASE ? { legacy: true } : { qemuVersion: r.release } } as const;
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
