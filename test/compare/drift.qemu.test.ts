/**
 * `qapi-ts drift`: a schema against what a binary reports.  Against its own
 * build every difference is traced to an 'if' condition (exit 0); edited
 * copies of the schema are caught (exit 5), each edit where it was made.
 * Explanations must be consistent: a condition seen to hold explains no
 * absence.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drift } from '../../generator/compare/drift.js';
import { loadSchema } from '../../generator/frontend.js';
import { runInProcess } from '../helpers/cli.js';
import { memoryReader } from '../helpers/memory-schema.js';
import { makeTempDir, removeTempDir, requireBinaries, requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { command, modelOf, object } from '../introspect/helpers/capture.js';

interface DriftJson {
  readonly unexplained: { where: string; what: string }[];
  readonly explained: { where: string; what: string; condition: string }[];
}

async function driftJson(schema: string, capture: string, source = '--introspection', release = '7.2'): Promise<{ code: number; report: DriftJson; stderr: string }> {
  const r = await runInProcess(['drift', schema, '--qemu-version', release, source, capture, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as DriftJson, stderr: r.stderr };
}

const schema72 = requireShared('qemu-7.2/qapi', 'drift against QEMU 7.2');
const capture72 = requireShared('qemu-7.2/introspection/qemu-system-x86_64.json', 'drift against QEMU 7.2');
const ready72 = schema72.available && capture72.available;
const qemu72 = requireBinaries(['qemu-system-x86_64'], 'drift against a live QEMU 7.2');
const qemu10 = requireQemu10(['qemu-system-x86_64'], 'drift against a live QEMU 10.0.2');
const explained = (where: string, what: string, condition: string) => ({ where, what, condition, difference: expect.anything() as unknown });

/** The readable report, read back by its layout: a summary line, then
 *  `Unexplained:` items, then explained items grouped under `if CONDITION:`. */
interface DriftText {
  readonly summary: string;
  readonly unexplained: string[];
  readonly explained: Map<string, string[]>;
}

function readDriftText(text: string): DriftText {
  const [summary = '', ...rest] = text.trimEnd().split('\n');
  const report: DriftText = { summary, unexplained: [], explained: new Map() };
  let section: 'unexplained' | 'explained' | null = null;
  let group: string[] | null = null;
  for (const line of rest) {
    const condition = /^  if (.+):$/.exec(line);
    if (line === '') continue;
    else if (line === 'Unexplained:') section = 'unexplained';
    else if (line === 'Explained (the binary was built without the condition):') section = 'explained';
    else if (section === 'unexplained' && line.startsWith('  ')) report.unexplained.push(line.slice(2));
    else if (section === 'explained' && condition) report.explained.set(condition[1]!, (group = []));
    else if (section === 'explained' && group && line.startsWith('    ')) group.push(line.slice(4));
    else throw new Error(`a line out of place in the drift report: ${JSON.stringify(line)}`);
  }
  return report;
}

/** Explained items of the --json report, grouped by condition as the text groups them. */
function byCondition(items: DriftJson['explained']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { where, what, condition } of items) out.set(condition, [...(out.get(condition) ?? []), `${where}: ${what}`]);
  return out;
}

describe.each([
  {
    release: '7.2',
    live: qemu72.available ? 'qemu-system-x86_64' : null,
    // A system emulator for x86 lacks other targets' commands and what
    // Debian's build leaves out; a few of each, as QEMU's sources have them.
    some: [
      explained('command dump-skeys', 'the command: only in the schema', 'TARGET_S390X'),
      explained('command query-gic-capabilities', 'the command: only in the schema', 'TARGET_ARM'),
      explained('enum BlockdevDriver', "value 'io_uring': only in the schema", 'CONFIG_BLKIO'),
    ],
  },
  {
    release: '10.0',
    live: qemu10.available ? qemu10.bin('qemu-system-x86_64') : null,
    some: [
      explained('command get-win32-socket', 'the command: only in the schema', 'CONFIG_WIN32'),
      explained('command set-cpu-topology', 'the command: only in the schema', 'TARGET_S390X && CONFIG_KVM'),
      explained('struct CpuModelExpansionInfo', "member 'deprecated-props': only in the schema", 'TARGET_S390X'),
      explained('enum MultiFDCompression', "value 'qpl': only in the schema", 'CONFIG_QPL'),
    ],
  },
])("QEMU $release's schema against its qemu-system-x86_64", ({ release, live, some }) => {
  const schema = requireShared(`qemu-${release}/qapi/qapi-schema.json`, `drift against QEMU ${release}`);
  const capture = requireShared(`qemu-${release}/introspection/qemu-system-x86_64.json`, `drift against QEMU ${release}`);
  const ready = schema.available && capture.available;

  it.skipIf(!ready)('differs only where an if condition explains it, each naming its condition (exit 0)', async () => {
    const { code, report, stderr } = await driftJson(schema.path, capture.path, '--introspection', release);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.unexplained).toEqual([]);
    expect(report.explained).toEqual(expect.arrayContaining(some));
    for (const item of report.explained) expect(item.condition).toMatch(/^[A-Z_0-9 &|!()]+$/);
  });

  it.skipIf(!ready)('reads as such: nothing unexplained, the explained items under the if condition that explains them', async () => {
    const r = await runInProcess(['drift', schema.path, '--qemu-version', release, '--introspection', capture.path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readDriftText(r.stdout);
    const count = [...text.explained.values()].reduce((n, items) => n + items.length, 0);
    expect(text.summary).toMatch(
      new RegExp(`^qapi-schema\\.json \\(QEMU ${release.replace('.', '\\.')}\\) against qemu-system-x86_64\\.json \\(QEMU [\\d.]+\\): 0 unexplained difference\\(s\\), ${count} explained by 'if' conditions$`),
    );
    expect(text.unexplained).toEqual([]);
    for (const item of some) expect(text.explained.get(item.condition), item.condition).toContain(`${item.where}: ${item.what}`);
    // The same items as --json, grouped by their condition.
    expect(text.explained).toEqual(byCondition((await driftJson(schema.path, capture.path, '--introspection', release)).report.explained));
  });

  it.skipIf(!ready || live === null)('says the same of the live binary (--qemu) as of its capture', async () => {
    const now = await driftJson(schema.path, live!, '--qemu', release);
    expect(now.code, now.stderr).toBe(0);
    const captured = await driftJson(schema.path, capture.path, '--introspection', release);
    expect(now.report.explained).toEqual(captured.report.explained);
  }, 60_000);
});

interface Edit {
  readonly edit: string;
  readonly file: string;
  readonly edits: readonly (readonly [string | RegExp, string])[];
  readonly want: { where: string; what: string };
}

/** Edits of QEMU 7.2's schema files, each with the one difference drift must report. */
const EDITS: readonly Edit[] = [
  {
    edit: 'a removed member',
    file: 'block-core.json',
    edits: [
      ["'*backing-file': 'str', '*speed': 'int',\n            '*on-error': 'BlockdevOnError',", "'*backing-file': 'str',\n            '*on-error': 'BlockdevOnError',"],
      // and its documentation, which would otherwise describe nothing
      [/(# @block-commit:[\s\S]*?)# @speed: the maximum speed, in bytes per second\n#\n/, '$1'],
    ],
    want: { where: 'command block-commit arguments', what: "member 'speed': only in the binary" },
  },
  {
    edit: 'a changed type',
    file: 'job.json',
    edits: [["'current-progress': 'int', 'total-progress': 'int',", "'current-progress': 'str', 'total-progress': 'int',"]],
    want: { where: 'struct JobInfo', what: "member 'current-progress': the type is str in the schema, int (any width) in the binary" },
  },
  {
    edit: 'an extra enum value',
    file: 'block-core.json',
    edits: [["'data': ['report', 'ignore', 'enospc', 'stop', 'auto'] }", "'data': ['report', 'ignore', 'enospc', 'stop', 'auto', 'retry'] }"]],
    want: { where: 'enum BlockdevOnError', what: "value 'retry': only in the schema" },
  },
  {
    edit: 'a removed command',
    file: 'block-core.json',
    // with its documentation block
    edits: [[/##\n# @block-job-pause:[\s\S]*?\{ 'command': 'block-job-pause', 'data': \{ 'device': 'str' \},\n  'allow-preconfig': true \}\n/, '']],
    want: { where: 'command block-job-pause', what: 'the command: only in the binary' },
  },
  {
    edit: 'an optional member made required',
    file: 'block-core.json',
    edits: [["{ 'command': 'block-job-cancel', 'data': { 'device': 'str', '*force': 'bool' },", "{ 'command': 'block-job-cancel', 'data': { 'device': 'str', 'force': 'bool' },"]],
    want: { where: 'command block-job-cancel arguments', what: "member 'force' is required in the schema, optional in the binary" },
  },
];

describe.skipIf(!ready72)('edited copies of the schema', () => {
  const dir = makeTempDir('qapi-ts-drift-');
  afterAll(() => removeTempDir(dir));

  /** A copy of the 7.2 schema with textual edits in one file (each must apply). */
  function edited(name: string, file: string, edits: readonly (readonly [from: string | RegExp, to: string])[]): string {
    const copy = join(dir, name);
    cpSync(schema72.path, copy, { recursive: true });
    const path = join(copy, file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of edits) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit '${name}' changed nothing in ${file}: ${String(from)}`);
      text = next;
    }
    writeFileSync(path, text);
    return join(copy, 'qapi-schema.json');
  }

  it.each(EDITS)('catches $edit (exit 5)', async ({ edit, file, edits, want }) => {
    const copy = edited(edit.replace(/\W+/g, '-'), file, edits);
    const { code, report } = await driftJson(copy, capture72.path);
    expect(code).toBe(5);
    expect(report.unexplained.map(({ where, what }) => ({ where, what }))).toEqual([want]);
  }, 60_000);

  it('names a removed command, a removed member and an extra enum value readably in the text report (exit 5)', async () => {
    const chosen = EDITS.filter((e) => ['a removed member', 'an extra enum value', 'a removed command'].includes(e.edit));
    expect(chosen.map((e) => e.file)).toEqual(['block-core.json', 'block-core.json', 'block-core.json']);
    const copy = edited('three-edits', 'block-core.json', chosen.flatMap((e) => e.edits));
    const r = await runInProcess(['drift', copy, '--qemu-version', '7.2', '--introspection', capture72.path]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe("qapi-ts: drift: 3 difference(s) no 'if' condition explains\n");
    const text = readDriftText(r.stdout);
    expect(text.summary).toMatch(/: 3 unexplained difference\(s\), \d+ explained by 'if' conditions$/);
    expect([...text.unexplained].sort()).toEqual(
      [
        "command block-commit arguments: member 'speed': only in the binary",
        "enum BlockdevOnError: value 'retry': only in the schema",
        'command block-job-pause: the command: only in the binary',
      ].sort(),
    );
    // What the conditions explain is still reported, apart.
    expect(text.explained.get('TARGET_S390X')).toContain('command dump-skeys: the command: only in the schema');
  }, 60_000);
});

describe('explanations', () => {
  // QEMU 7.2's language: later ones want conditional arguments boxed.
  const source = loadSchema('s.json', {
    qemuVersion: '7.2',
    readFile: memoryReader({
      's.json': `
{ 'command': 'only-with-x', 'if': 'CONFIG_X' }
{ 'command': 'only-with-y', 'if': 'CONFIG_Y' }
{ 'command': 'both', 'data': { 'm': { 'type': 'str', 'if': 'CONFIG_X' }, '*n': { 'type': 'str', 'if': { 'all': [ 'CONFIG_Y', 'CONFIG_Z' ] } } } }
`,
    }),
  }).model;

  it('an absence under a condition is explained by it', () => {
    const binary = modelOf([command('both')]);
    const report = drift(source, binary);
    expect(report.unexplained).toEqual([]);
    expect(report.explained.map((i) => [i.where, i.what, i.condition])).toEqual([
      ['command only-with-x', 'the command: only in the schema', 'CONFIG_X'],
      ['command only-with-y', 'the command: only in the schema', 'CONFIG_Y'],
      ['command both arguments', "member 'm': only in the schema", 'CONFIG_X'],
      ['command both arguments', "member 'n': only in the schema", 'CONFIG_Y && CONFIG_Z'],
    ]);
  });

  it('not when the binary shows the condition holds elsewhere', () => {
    // 'm' is there, so CONFIG_X holds, and cannot be why only-with-x is missing.
    const binary = modelOf([command('both', '1'), object('1', [['m', 'str']])]);
    const report = drift(source, binary);
    expect(report.unexplained.map((i) => [i.where, i.what])).toEqual([
      ['command only-with-x', "the command: only in the schema (under CONFIG_X, but 'CONFIG_X' holds elsewhere in the binary)"],
    ]);
    expect(report.explained.map((i) => i.condition)).toEqual(['CONFIG_Y', 'CONFIG_Y && CONFIG_Z']);
  });

  it('what only the binary has is never explained', () => {
    const binary = modelOf([command('both', '1'), object('1', [['m', 'str']]), command('only-with-y'), command('only-with-x'), command('extra')]);
    expect(drift(source, binary).unexplained.map((i) => [i.where, i.what])).toEqual([['command extra', 'the command: only in the binary']]);
  });
});

describe('usage', () => {
  it.each([
    { args: ['drift', 'schema.json'], want: 'drift needs --introspection FILE or --qemu BINARY' },
    { args: ['drift', 'no-such.json', '--introspection', 'x.json'], want: "'no-such.json' does not exist" },
  ])('$args: exit 2', async ({ args, want }) => {
    const r = await runInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(want);
  });
});
