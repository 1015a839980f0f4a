/**
 * Must show 3 of issue 17: the seed across thirteen years.  A span of QEMU
 * 1.3, 7.2 and 10.2 tells block-commit's history (arguments added after
 * 1.3, `top` becoming optional and deprecated, `backing-mask-protocol`
 * arriving) in its TSDoc and in its run-time tables, and what it tells
 * agrees with `qapi-ts diff` between the same releases: for every command,
 * every change diff finds among the top-level arguments between two
 * neighbouring releases is one the span shows, and every difference the
 * span shows there is one diff finds.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectDescriptor } from '../../runtime/tables.js';
import { diffModels, type DiffChange } from '../../generator/compare/diff.js';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { emitBindings, printBindings } from '../../generator/emit/pipeline.js';
import { completeSettings } from '../../generator/settings/table.js';
import { loadSchema } from '../../generator/frontend.js';
import type { Member } from '../../generator/model/types.js';
import { mergeReleases } from '../../generator/span/merge.js';
import { hasRelease } from '../../generator/span/releases.js';
import { requireShared, SHARED } from '../helpers/shared.js';

const available = ['qemu-1.3/qapi-schema.json', 'qemu-7.2/qapi/qapi-schema.json', 'qemu-10.2/qapi/qapi-schema.json'].every(
  (f) => requireShared(f, "the seed's history").available,
);

describe.skipIf(!available)("block-commit's history across QEMU 1.3, 7.2 and 10.2", () => {
  const releases = [
    { name: '1.3', file: `${SHARED}/qemu-1.3/qapi-schema.json`, language: { legacy: true } },
    { name: '7.2', file: `${SHARED}/qemu-7.2/qapi/qapi-schema.json`, language: { qemuVersion: '7.2' } },
    { name: '10.2', file: `${SHARED}/qemu-10.2/qapi/qapi-schema.json`, language: { qemuVersion: '10.2' } },
  ];
  const models = releases.map((r) => loadSchema(r.file, r.language).model);
  const merged = mergeReleases(releases.map((r, i) => ({ release: { name: r.name, origin: 'schema', file: r.file }, model: models[i]! })));
  const span = merged.span;

  /** What the span says about a top-level argument in release i, as diff words it. */
  const state = (m: Member | undefined, i: number): { present: boolean; optional: boolean; deprecated: boolean } => {
    if (m === undefined || !hasRelease(span.member(m).in, i)) return { present: false, optional: false, deprecated: false };
    const deprecated = m.features.some((f) => f.name === 'deprecated' && hasRelease(span.feature(f), i));
    return { present: true, optional: hasRelease(span.member(m).optionalIn, i), deprecated };
  };

  /** The changes of a span between releases i and i+1, in diff's words. */
  const spanChanges = (i: number): string[] => {
    const out: string[] = [];
    for (const c of merged.entities) {
      if (c.kind !== 'command' || !hasRelease(span.entity(c), i) || !hasRelease(span.entity(c), i + 1)) continue;
      for (const m of c.argType?.members ?? []) {
        const [a, b] = [state(m, i), state(m, i + 1)];
        if (a.present !== b.present) out.push(`${c.name}: member '${m.name}' ${b.present ? 'added' : 'removed'}`);
        else if (a.present && a.optional !== b.optional) out.push(`${c.name}: member '${m.name}' became ${b.optional ? 'optional' : 'required'}`);
        if (a.present && b.present && a.deprecated !== b.deprecated) out.push(`${c.name}: member '${m.name}' ${b.deprecated ? 'is now' : 'is no longer'} deprecated`);
      }
    }
    return out.sort();
  };

  /** diff's changes of the same kinds, at the same places. */
  const diffChanges = (changes: readonly DiffChange[]): string[] => {
    const out: string[] = [];
    for (const ch of changes) {
      const d = ch.difference;
      if (ch.root.kind !== 'command' || ch.path !== 'arguments') continue;
      if (d.kind === 'presence' && d.element === 'member') out.push(`${ch.root.name}: member '${d.name}' ${d.change}`);
      else if (d.kind === 'optional') out.push(`${ch.root.name}: member '${d.name}' became ${d.change}`);
      else if (d.kind === 'presence' && d.element === 'feature' && d.name === 'deprecated' && d.carrier?.startsWith('member ')) {
        out.push(`${ch.root.name}: ${d.carrier} ${d.change === 'added' ? 'is now' : 'is no longer'} deprecated`);
      }
    }
    return out.sort();
  };

  it.each([
    { from: 0, to: 1 },
    { from: 1, to: 2 },
  ])('QEMU $from → $to: every argument change of every command, as diff finds it', ({ from, to }) => {
    const report = diffModels(models[from]!, models[to]!, { exactIntegers: true });
    const ours = spanChanges(from);
    expect(ours).toEqual(diffChanges(report.changes));
    // Not an empty agreement: the seed's own changes are among them.
    if (from === 0) {
      expect(ours).toEqual(
        expect.arrayContaining([
          "block-commit: member 'job-id' added",
          "block-commit: member 'top' became optional",
          "block-commit: member 'top' is now deprecated",
          "block-commit: member 'base-node' added",
        ]),
      );
    } else expect(ours).toContain("block-commit: member 'backing-mask-protocol' added");
  });

  it('the run-time tables carry it: present, required and typed by release', () => {
    const tables = buildTables(merged);
    const info = tables.commands.find((c) => c.name === 'block-commit')!;
    expect(info.releases).toBeUndefined();
    const args = (typeof info.args === 'function' ? info.args() : info.args) as ObjectDescriptor;
    const member = (name: string) => args.members.find(([n]) => n === name);
    // Bit 0 is 1.3, bit 1 7.2, bit 2 10.2.
    expect(member('device')).toEqual(['device', 'str']);
    expect(member('job-id')).toEqual(['job-id', 'str', true, { in: 0b110 }]);
    expect(member('top')).toEqual(['top', 'str', true, { requiredIn: 0b001 }]);
    expect(member('backing-mask-protocol')?.[3]).toEqual({ in: 0b100 });
  });

  it('the TSDoc tells it in words, on the command and on each argument', () => {
    const settings = completeSettings({ target: 'ts' });
    const { files } = emitBindings(merged, settings);
    const text = printBindings(files, 'span', settings).find((f) => f.path === 'block-core.ts')!.content;
    const fn = text.slice(text.lastIndexOf('/**', text.indexOf('export function blockCommit')), text.indexOf('export function blockCommit'));
    expect(fn).toContain(' * Across QEMU 1.3, 7.2 and 10.2:');
    for (const line of [
      '- `job-id`: In QEMU 7.2 and later.',
      '- `top`: Optional in QEMU 7.2 and later; required before QEMU 7.2. Deprecated in QEMU 7.2 and later.',
      '- `base`: Deprecated in QEMU 7.2 and later.',
      '- `backing-mask-protocol`: In QEMU 10.2 and later.',
    ]) {
      expect(fn).toContain(` * ${line}`);
    }
    // `device` and `speed` never changed: nothing said.
    expect(fn).not.toMatch(/`device`:|`speed`:/);
    const args = text.slice(text.indexOf('export type BlockCommitArguments'), text.indexOf('export const BlockCommitArguments$'));
    expect(args).toContain('Optional in QEMU 7.2 and later; required before QEMU 7.2.');
    expect(args).toContain('@deprecated Deprecated in QEMU 7.2 and later:');
    expect(args).toMatch(/ReleaseMembers<\s*R,\s*Release,\s*'1\.3',\s*\{[^}]*\btop: string;/);
  });
});
