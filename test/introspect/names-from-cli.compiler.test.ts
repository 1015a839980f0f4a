/**
 * `qapi-ts generate --introspection CAPTURE --names-from SCHEMA` through the
 * built CLI, for QEMU 7.2's and 10.0.2's qemu-system-x86_64 captures with
 * their own release's source schema: the bindings compile under
 * `tsc --strict` (one run for both) and declare the source schema's type
 * names, each said to come from introspection and named after the schema.
 * Without the flag, the same captures give usage-derived names instead
 * (naming.test.ts counts the mismatches on the model; this is what a user
 * runs).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode, typecheck } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-names-from-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Source names both releases' schemas and captures have, of each kind of declaration. */
const SOURCE_NAMES = [
  ['interface', 'BlockInfo'],
  ['interface|type', 'BlockJobInfo'], // a struct in 7.2, a union in 10.0
  ['type', 'BlockdevOptions'],
  ['type', 'JobStatus'],
] as const;

const releases = [
  { release: '7.2', version: /QEMU 7\.2\.\d+/ },
  { release: '10.0', version: /QEMU 10\.0\.\d+/ },
].map((r) => ({
  ...r,
  capture: requireShared(`qemu-${r.release}/introspection/qemu-system-x86_64.json`, 'generate --names-from through the CLI'),
  schema: requireShared(`qemu-${r.release}/qapi/qapi-schema.json`, 'generate --names-from through the CLI'),
}));
const available = releases.filter((r) => r.capture.available && r.schema.available);

const outDir = (release: string, namesFrom: boolean): string => join(work, `${release}-${namesFrom ? 'names-from' : 'derived'}`);
const moduleText = (release: string, namesFrom: boolean): string => readFileSync(join(outDir(release, namesFrom), 'qemu-system-x86_64.ts'), 'utf8');

/** The doc comment right above `export interface|type NAME`, or null when no such declaration. */
function declarationDoc(text: string, kinds: string, name: string): string | null {
  const m = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\nexport (?:${kinds}) ${name}\\b`).exec(text);
  return m ? m[1]! : null;
}

describe.skipIf(available.length === 0)('generate --introspection --names-from, through the CLI', () => {
  const exits: Record<string, { code: number; output: string }> = {};

  beforeAll(async () => {
    const runs = available.flatMap((r) =>
      [true, false].map(async (namesFrom) => {
        const args = ['generate', '--introspection', r.capture.path, '--target', 'ts', '-o', outDir(r.release, namesFrom)];
        if (namesFrom) args.push('--names-from', r.schema.path, '--qemu-version', r.release);
        exits[`${r.release} ${namesFrom}`] = await runNode([CLI_ENTRY, ...args]);
      }),
    );
    await Promise.all(runs);
  }, 120_000);

  it.each(available)('$release: exits 0, with and without --names-from', ({ release }) => {
    for (const namesFrom of [true, false]) {
      const r = exits[`${release} ${namesFrom}`]!;
      expect(r.code, r.output).toBe(0);
    }
  });

  it.each(available)("$release: declares the source schema's names, noted as from introspection and named after the schema", ({ release, version }) => {
    const text = moduleText(release, true);
    for (const [kinds, name] of SOURCE_NAMES) {
      const doc = declarationDoc(text, kinds, name);
      expect(doc, `export ${kinds} ${name}`).not.toBeNull();
      expect(doc).toMatch(new RegExp(`Reported by ${version.source} through query-qmp-schema; named as in the source schema qapi-schema\\.json\\.`));
    }
  });

  it.each(available)('$release: without --names-from, those names are absent (usage-derived names instead)', ({ release, version }) => {
    const text = moduleText(release, false);
    for (const [kinds, name] of SOURCE_NAMES) expect(declarationDoc(text, kinds, name), `export ${kinds} ${name}`).toBeNull();
    const doc = declarationDoc(text, 'interface', 'QueryBlockReturnElement');
    expect(doc).toMatch(new RegExp(`Reported by ${version.source} through query-qmp-schema, where type names are numbers; named after its first use`));
    expect(doc).not.toContain('named as in the source schema');
  });

  it('the bindings with borrowed names compile under tsc --strict', async () => {
    const tsc = await typecheck(available.map((r) => join(outDir(r.release, true), 'index.ts')));
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  }, 300_000);
});
