/**
 * `qapi-ts diff OLD NEW`: a client's-eye compatibility report.  Each rule
 * of compare/diff.ts on a minimal pair of schemas, then real upgrades:
 * QEMU 1.3 → 7.2 for block-commit (the seed's command), checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { diffModels, type DiffChange } from '../../generator/compare/diff.js';
import { loadSchema } from '../../generator/frontend.js';
import type { SchemaModel } from '../../generator/model/types.js';
import { runInProcess } from '../helpers/cli.js';
import { memoryReader } from '../helpers/memory-schema.js';
import { requireShared } from '../helpers/shared.js';

const model = (text: string): SchemaModel => loadSchema('s.json', { readFile: memoryReader({ 's.json': text }) }).model;

/** The changes of a diff as `section path: message`. */
const lines = (changes: readonly DiffChange[]): string[] =>
  changes.map((c) => `${c.section} ${c.root.kind} ${c.root.name}${c.path ? ` ${c.path}` : ''}: ${c.message}`);

const ENUM = "{ 'enum': 'Mode', 'data': [ 'a', 'b' ] }\n";
const ENUM_MORE = "{ 'enum': 'Mode', 'data': [ 'a', 'b', 'c' ] }\n";
const ENUM_LESS = "{ 'enum': 'Mode', 'data': [ 'a' ] }\n";
const ALT = "{ 'alternate': 'StrOrNull', 'data': { 's': 'str', 'n': 'null' } }\n";

describe.each([
  {
    rule: 'a removed command',
    old: "{ 'command': 'stop' }",
    new: '',
    want: ['breaking command stop: the command was removed'],
  },
  {
    rule: 'a removed deprecated command',
    old: "{ 'command': 'stop', 'features': [ 'deprecated' ] }",
    new: '',
    want: ['breaking command stop: the command was removed (it was deprecated)'],
  },
  { rule: 'an added event', old: '', new: "{ 'event': 'STOPPED' }", want: ['compatible event STOPPED: the event was added'] },
  {
    rule: 'argument members added, required and optional',
    old: "{ 'command': 'c', 'data': { 'a': 'str' } }",
    new: "{ 'command': 'c', 'data': { 'a': 'str', 'b': 'str', '*o': 'int' } }",
    want: ["breaking command c arguments: member 'b' added (required)", "compatible command c arguments: member 'o' added (optional)"],
  },
  {
    rule: 'return members added and removed',
    old: "{ 'struct': 'Ret', 'data': { 'a': 'str', '*b': 'str' } }\n{ 'command': 'c', 'returns': 'Ret' }",
    new: "{ 'struct': 'Ret', 'data': { 'n': 'str' } }\n{ 'command': 'c', 'returns': 'Ret' }",
    want: [
      "breaking command c returns: member 'a' removed (required)",
      "caution command c returns: member 'b' removed (optional)",
      "compatible command c returns: member 'n' added (required)",
    ],
  },
  {
    rule: 'optional-ness in arguments and in return values',
    old: "{ 'struct': 'Ret', 'data': { 'x': 'str', '*y': 'str' } }\n{ 'command': 'c', 'data': { 'x': 'str', '*y': 'str' }, 'returns': 'Ret' }",
    new: "{ 'struct': 'Ret', 'data': { '*x': 'str', 'y': 'str' } }\n{ 'command': 'c', 'data': { '*x': 'str', 'y': 'str' }, 'returns': 'Ret' }",
    want: [
      "compatible command c arguments: member 'x' became optional",
      "breaking command c arguments: member 'y' became required",
      "breaking command c returns: member 'x' became optional",
      "compatible command c returns: member 'y' became required",
    ],
  },
  {
    rule: 'enum values added: compatible to send, a caution to read',
    old: `${ENUM}{ 'struct': 'Ret', 'data': { 'm': 'Mode' } }\n{ 'command': 'c', 'data': { 'm': 'Mode' }, 'returns': 'Ret' }`,
    new: `${ENUM_MORE}{ 'struct': 'Ret', 'data': { 'm': 'Mode' } }\n{ 'command': 'c', 'data': { 'm': 'Mode' }, 'returns': 'Ret' }`,
    want: ["compatible command c arguments.m: value 'c' added", "caution command c returns.m: value 'c' added"],
  },
  {
    rule: 'enum values removed: breaking to send, compatible to read',
    old: `${ENUM}{ 'struct': 'Ret', 'data': { 'm': 'Mode' } }\n{ 'command': 'c', 'data': { 'm': 'Mode' }, 'returns': 'Ret' }`,
    new: `${ENUM_LESS}{ 'struct': 'Ret', 'data': { 'm': 'Mode' } }\n{ 'command': 'c', 'data': { 'm': 'Mode' }, 'returns': 'Ret' }`,
    want: ["breaking command c arguments.m: value 'b' removed", "compatible command c returns.m: value 'b' removed"],
  },
  {
    rule: 'a type widened (str → an alternate with str) and narrowed (str → enum)',
    old: `${ENUM}{ 'command': 'c', 'data': { 'w': 'str', 'n': 'str' } }\n{ 'event': 'E', 'data': { 'w': 'str' } }`,
    new: `${ENUM}${ALT}{ 'command': 'c', 'data': { 'w': 'StrOrNull', 'n': 'Mode' } }\n{ 'event': 'E', 'data': { 'w': 'StrOrNull' } }`,
    want: [
      "compatible command c arguments: member 'w': type widened: str → StrOrNull",
      "breaking command c arguments: member 'n': type narrowed: str → Mode",
      "breaking event E data: member 'w': type widened: str → StrOrNull",
    ],
  },
  {
    rule: 'integer widths, exactly',
    old: "{ 'command': 'c', 'data': { 'a': 'int32', 'b': 'int64', 'c': 'int64' } }",
    new: "{ 'command': 'c', 'data': { 'a': 'int64', 'b': 'int8', 'c': 'uint64' } }",
    want: [
      "compatible command c arguments: member 'a': type widened: int32 → int64",
      "breaking command c arguments: member 'b': type narrowed: int64 → int8",
      "breaking command c arguments: member 'c': type changed: int64 → uint64",
    ],
  },
  {
    rule: 'deprecation and unstable, listed apart',
    old: "{ 'command': 'c', 'data': { 'a': 'str' } }\n{ 'command': 'd' }",
    new: "{ 'command': 'c', 'data': { 'a': { 'type': 'str', 'features': [ 'deprecated' ] } } }\n{ 'command': 'd', 'features': [ 'unstable' ] }",
    want: ["deprecation command c arguments: member 'a' is now deprecated", 'unstable command d: the command is now unstable'],
  },
  {
    rule: 'a struct that became a union keeps its members; each variant adds its own',
    old: `${ENUM}{ 'struct': 'Job', 'data': { 'type': 'Mode', 'id': 'str' } }\n{ 'command': 'q', 'returns': [ 'Job' ] }`,
    new: `${ENUM}{ 'struct': 'JobA', 'data': { 'ready': 'bool' } }\n{ 'union': 'Job', 'base': { 'type': 'Mode', 'id': 'str' }, 'discriminator': 'type', 'data': { 'a': 'JobA' } }\n{ 'command': 'q', 'returns': [ 'Job' ] }`,
    want: ["compatible command q returns[](type=a): member 'ready' added (required)"],
  },
])('$rule', ({ old, new: next, want }) => {
  it('is judged by where it sits', () => {
    const report = diffModels(model(old), model(next), { exactIntegers: true });
    expect(lines(report.changes)).toEqual(want);
    expect(report.breaking).toBe(want.some((w) => w.startsWith('breaking')));
  });
});

const s13 = requireShared('qemu-1.3/qapi-schema.json', 'diff 1.3 → 7.2');
const s72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'diff 1.3 → 7.2');

describe.skipIf(!s13.available || !s72.available)('QEMU 1.3 → 7.2', () => {
  it("block-commit: eight arguments added, 'top' optional and deprecated (as is 'base'), nothing breaking", async () => {
    const r = await runInProcess(['diff', s13.path, s72.path, '--old-qemu-version', '1.3', '--new-qemu-version', '7.2', '--json']);
    expect(r.code).toBe(5); // other commands were removed since 1.3
    const report = JSON.parse(r.stdout) as { changes: { command?: string; section: string; path: string; message: string }[] };
    const blockCommit = report.changes.filter((c) => c.command === 'block-commit').map((c) => `${c.section} ${c.path}: ${c.message}`);
    // Checked by hand against both schemas.
    expect(blockCommit.sort()).toEqual(
      [
        "compatible arguments: member 'job-id' added (optional)",
        "compatible arguments: member 'base-node' added (optional)",
        "compatible arguments: member 'top-node' added (optional)",
        "compatible arguments: member 'backing-file' added (optional)",
        "compatible arguments: member 'on-error' added (optional)",
        "compatible arguments: member 'filter-node-name' added (optional)",
        "compatible arguments: member 'auto-finalize' added (optional)",
        "compatible arguments: member 'auto-dismiss' added (optional)",
        "compatible arguments: member 'top' became optional",
        "deprecation arguments: member 'top' is now deprecated",
        "deprecation arguments: member 'base' is now deprecated",
      ].sort(),
    );
  });
});

const s102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'diff 7.2 → 10.2');

describe.skipIf(!s72.available || !s102.available)('QEMU 7.2 → 10.2', () => {
  it('block-commit and blockdev-add change as checked by hand: only additions, and one deprecation', async () => {
    const r = await runInProcess(['diff', s72.path, s102.path, '--old-qemu-version', '7.2', '--new-qemu-version', '10.2', '--json']);
    expect(r.code).toBe(5); // elsewhere, things were removed
    const report = JSON.parse(r.stdout) as { changes: { command?: string; section: string; path: string; message: string }[] };
    const of = (name: string): string[] => report.changes.filter((c) => c.command === name).map((c) => `${c.section} ${c.path}: ${c.message}`);
    // Read off both schemas: block-core.json's BlockdevOptions and its
    // branches, BlockdevDriver, InetSocketAddress (sockets.json) and
    // RbdEncryptionOptions.
    expect(of('block-commit')).toEqual(["compatible arguments: member 'backing-mask-protocol' added (optional)"]);
    expect(of('blockdev-add').sort()).toEqual(
      [
        "compatible arguments: member 'active' added (optional)",
        "deprecation arguments.driver: value 'gluster' is now deprecated",
        "compatible arguments(driver=copy-before-write): member 'min-cluster-size' added (optional)",
        "compatible arguments(driver=luks): member 'header' added (optional)",
        "compatible arguments(driver=qcow2): member 'discard-no-unref' added (optional)",
        "compatible arguments(driver=virtio-blk-vhost-vdpa): the type: feature 'fdset' added",
        "compatible arguments(driver=rbd).encrypt: member 'parent' added (optional)",
        "compatible arguments(driver=rbd).encrypt.format: value 'luks-any' added",
        "compatible arguments(driver=ssh).server: member 'keep-alive-count' added (optional)",
        "compatible arguments(driver=ssh).server: member 'keep-alive-idle' added (optional)",
        "compatible arguments(driver=ssh).server: member 'keep-alive-interval' added (optional)",
      ].sort(),
    );
  });
});

describe('the command', () => {
  const caps = requireShared('qemu-7.2/introspection/qemu-storage-daemon.json', 'diff of captures');
  it.skipIf(!caps.available || !s72.available)('takes captures as well as schemas, told apart by content; exit 0 when nothing breaks', async () => {
    const same = await runInProcess(['diff', caps.path, caps.path]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^qemu-storage-daemon\.json \(QEMU 7\.2\.22\) → qemu-storage-daemon\.json \(QEMU 7\.2\.22\): 0 breaking, 0 caution, 0 compatible/);
    // The storage daemon has a subset of the system emulator's schema.
    const wider = await runInProcess(['diff', caps.path, s72.path, '--new-qemu-version', '7.2']);
    expect(wider.code).toBe(0);
    const narrower = await runInProcess(['diff', s72.path, caps.path, '--old-qemu-version', '7.2']);
    expect(narrower.code).toBe(5);
    expect(narrower.stdout).toContain('command query-status: the command was removed');
  });

  it.each([
    { args: ['diff', 'a.json'], want: "missing required argument 'new'" },
    { args: ['diff', 'a.json', 'b.json'], want: "'a.json' does not exist" },
    { args: ['diff', s72.path, s72.path, '--old-qemu-version', '7.2', '--new-qemu-version', 'ten'], want: "'ten' is not a QEMU release whose language qapi-ts knows" },
  ])('usage errors exit 2: $want', async ({ args, want }) => {
    const r = await runInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(want);
  });
});
