/**
 * What an editor shows over bindings that span releases (TypeScript's
 * language service, test/helpers/hover.ts): a member of a group some
 * release lacks keeps its doc and its availability through the
 * ReleaseMembers helper, in the default view and in one release's; an
 * argument written in a call shows when it is optional; a command shows
 * its history.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../generator/cli/writer/directory.js';
import { isGeneratedFile } from '../../generator/emit/templates.js';
import { generate } from '../../generator/generate.js';
import { HoverService } from '../helpers/hover.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-span-hover-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const usage = join(work, 'usage.ts');
let hovers: HoverService;

beforeAll(async () => {
  const releases = {
    '8.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json'),
    '10.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json'),
  };
  writeOutput(join(work, 'bindings'), await generate({ releases, target: 'ts' }), { owns: isGeneratedFile });
  writeFileSync(
    usage,
    [
      `import { QmpCommands, type Info } from './bindings/index.js';`,
      `declare const qmp: QmpCommands;`,
      `declare const info: Info;`,
      `declare const exact: Info<'10.2'>;`,
      `void info.fresh;`,
      `void exact.fresh;`,
      `void info.count;`,
      `await qmp.at('8.2').setMode({ mode: 'a', path: '/x' });`,
      `await qmp.setMode({ mode: 'a' });`,
      '',
    ].join('\n'),
  );
  hovers = new HoverService([usage, ...['index.ts', 'client.ts', 'qapi-schema.ts', 'span.ts', 'registry.ts', 'builtin.ts'].map((f) => join(work, 'bindings', f))]);
}, 120_000);

describe('hovers over a span', () => {
  it('a member only the newer release has: its availability, default view and one release alike', () => {
    expect(hovers.at(usage, 'info.fresh', 5).documentation).toBe('In QEMU 10.2 and later.');
    expect(hovers.at(usage, 'exact.fresh', 6).documentation).toBe('In QEMU 10.2 and later.');
  });

  it('a member typed otherwise by release says how', () => {
    expect(hovers.at(usage, 'info.count', 5).documentation).toBe('Typed `int32` before QEMU 10.2, `int` in QEMU 10.2 and later.');
  });

  it('an argument in a call shows when it is required', () => {
    expect(hovers.at(usage, "path: '/x'").documentation).toBe('Optional in QEMU 10.2 and later; required before QEMU 10.2.');
  });

  it('a method shows the command\'s history', () => {
    expect(hovers.at(usage, 'setMode({ mode: \'a\' })').documentation).toContain(
      'Across QEMU 8.2 and 10.2:\n\n- `path`: Optional in QEMU 10.2 and later; required before QEMU 10.2.\n- `force`: In QEMU 10.2 and later.',
    );
  });
});
