/**
 * The 2012 dialect: QEMU 1.3's whole schema and the seed's block-commit
 * entry are accepted with --legacy (slips located as warnings), and
 * rejected without it, as QEMU 7.2 rejects them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import type { Command } from '../../generator/model/types.js';
import { hasStackTrace, runBuilt, runInProcess } from '../helpers/cli.js';
import { seedEntry } from '../helpers/seed.js';
import { requireShared } from '../helpers/shared.js';
import { scratchFolders } from '../helpers/scratch.js';

const qemu13 = requireShared('qemu-1.3/qapi-schema.json', 'QEMU 1.3 schema');
const seed = requireShared('seed/000_6a2fe27ee5bc481d.txt', 'seed document');

describe.skipIf(!qemu13.available)('QEMU 1.3 schema', () => {
  it('passes check --legacy (the built command, exit 0)', () => {
    const result = runBuilt(['check', '--legacy', qemu13.path]);
    expect(result.code).toBe(0);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('locates each slip it tolerates as a warning', async () => {
    const result = await runInProcess(['check', '--legacy', qemu13.path]);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('warning:'));
    const at = (line: number, text: string): boolean =>
      warnings.some((w) => w.startsWith(`${qemu13.path}:${line}:`) && w.includes(text));
    expect(at(1364, "missing ','")).toBe(true);
    expect(at(1391, 'trailing comma')).toBe(true);
    expect(at(1505, "lacks its opening '##'")).toBe(true);
    expect(at(1977, "lacks its opening '##'")).toBe(true);
    expect(at(2461, "lacks its opening '##'")).toBe(true);
  });

  it('is rejected without --legacy', async () => {
    const result = await runInProcess(['check', qemu13.path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${qemu13.path}:6:1: a definition's documentation starts with '@NAME:'`);
  });

  it('models block-commit with its 2012 documentation', () => {
    const { model } = loadSchema(qemu13.path, { legacy: true });
    const cmd = model.lookupEntity('block-commit') as Command;
    expect(cmd.kind).toBe('command');
    const members = cmd.argType!.members.map((m) => [m.name, m.type.name, m.optional]);
    expect(members).toEqual([
      ['device', 'str', false],
      ['base', 'str', true],
      ['top', 'str', false],
      ['speed', 'int', true],
    ]);
    const doc = cmd.doc!;
    expect(doc.comment.symbol).toBe('block-commit');
    expect(doc.args.map((a) => [a.name, a.markedOptional])).toEqual([
      ['device', false],
      ['base', true],
      ['top', false],
      ['speed', true],
    ]);
    expect(doc.args[0]!.text).toBe('the name of the device');
    expect(doc.args[3]!.text).toBe('the maximum speed, in bytes per second');
    const returns = doc.sections.find((s) => s.name === 'Returns')!;
    const errorLines = returns.text.split('\n').filter((l) => l.startsWith('If '));
    expect(errorLines).toEqual([
      'If commit or stream is already active on this device, DeviceInUse',
      'If @device does not exist, DeviceNotFound',
      'If image commit is not supported by this device, NotSupported',
      'If @base or @top is invalid, a generic error is returned',
      'If @top is the active layer, or omitted, a generic error is returned',
      'If @speed is invalid, InvalidParameter',
    ]);
    expect(doc.sections.find((s) => s.name === 'Since')?.text).toBe('1.3');
  });
});

describe.skipIf(!seed.available)("the seed's entry", () => {
  const dir = scratchFolders('qapi-ts-seed-')();
  const file = join(dir, 'seed.json');
  if (seed.available) writeFileSync(file, seedEntry(seed.path));

  it('is rejected by QEMU 7.2 rules at its doc comment', async () => {
    const result = await runInProcess(['check', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${file}:2:1: a definition's documentation starts with '@NAME:'`, 'm'));
  });

  it('is accepted in the 2012 dialect (--legacy), with its documented errors', async () => {
    const result = await runInProcess(['check', '--legacy', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { model } = loadSchema(file, { legacy: true });
    const returns = (model.lookupEntity('block-commit') as Command).doc!.sections.find((s) => s.name === 'Returns');
    expect(returns?.text).toMatch(/DeviceInUse[\s\S]*DeviceNotFound[\s\S]*NotSupported[\s\S]*InvalidParameter/);
  });
});
