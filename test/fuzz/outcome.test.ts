/**
 * The fuzzer's judge: which runs keep the front end's promises (exit 0, or
 * exit 1 with a located first line) and which break them.
 */
import { describe, expect, it } from 'vitest';
import { lineCounter } from '../../fuzz/campaign.js';
import { compare, type Comparison } from '../../fuzz/differential.js';
import type { Mutant } from '../../fuzz/mutant.js';
import { firstLocation, judge, type RunResult, type Verdict } from '../../fuzz/outcome.js';
import type { QemuOutcome } from '../../fuzz/qemu.js';

const run = (over: Partial<RunResult>): RunResult => ({
  code: 1,
  stderr: '',
  stdoutBytes: 0,
  stdoutHash: '',
  ms: 5,
  cpuMs: 4,
  peakRss: 100 * 2 ** 20,
  ...over,
});

/** Files of a pretend schema: 'a.json' has 10 lines. */
const lines = (file: string): number | null | undefined => (file === 'a.json' ? 10 : file.startsWith('/') ? null : undefined);

describe('firstLocation', () => {
  it.each([
    ['a.json:3:5: bad\n', { file: 'a.json', line: 3, column: 5 }],
    ['a.json:3: bad\n', { file: 'a.json', line: 3, column: null }],
    ["In file included from root.json:2:\na.json: In struct 'S':\na.json:7:1: bad\n", { file: 'a.json', line: 7, column: 1 }],
    ['qapi-ts: internal error: x\n', null],
    ['bad\na.json:3:5: later\n', null],
    ['', null],
  ])('%j', (text, want) => {
    expect(firstLocation(text)).toEqual(want);
  });
});

describe('judge', () => {
  const cases: [string, Partial<RunResult>, 'accepted' | 'rejected' | Exclude<Verdict, { ok: true }>['kind']][] = [
    ['exit 0', { code: 0 }, 'accepted'],
    ['exit 1, located', { stderr: 'a.json:3:1: bad\n' }, 'rejected'],
    ['exit 1, located after context lines', { stderr: "In file included from b.json:1:\na.json: In command 'x':\na.json:10:1: bad\n" }, 'rejected'],
    ['exit 1, one past the last line (end of input)', { stderr: 'a.json:11:1: unexpected end\n' }, 'rejected'],
    ['exit 1, a path outside the schema', { stderr: '/proc/self/status:1:1: stray\n' }, 'rejected'],
    ['exit 70', { code: 70, stderr: 'qapi-ts: internal error: boom\n' }, 'internal-error'],
    ['a stack trace', { stderr: 'a.json:1:1: bad\n    at parse (x.js:1:1)\n' }, 'stack-trace'],
    ['exit 1 without a location', { stderr: 'something went wrong\n' }, 'unlocated'],
    ['a line past the end of the file', { stderr: 'a.json:40:1: bad\n' }, 'bad-location'],
    ['line 0', { stderr: 'a.json:0:1: bad\n' }, 'bad-location'],
    ['a file the schema does not have', { stderr: 'missing.json:1:1: bad\n' }, 'bad-location'],
    ['exit 2', { code: 2, stderr: 'usage\n' }, 'exit-code'],
    ['stopped by the CPU-time bound', { code: null, stopped: 'cpu-time' }, 'cpu-time'],
    ['stopped by the wall-time bound', { code: null, stopped: 'wall-time' }, 'wall-time'],
    ['stopped by the memory bound', { code: null, stopped: 'memory' }, 'memory'],
    ['a dead process', { code: null, stopped: 'crash', crash: 'SIGSEGV' }, 'crash'],
  ];
  it.each(cases)('%s', (_name, given, want) => {
    const verdict = judge(run(given), lines);
    const got = verdict.ok ? (verdict.accepted ? 'accepted' : 'rejected') : verdict.kind;
    expect(got).toBe(want);
  });
});

describe('compare with QEMU', () => {
  const accepted: Verdict = { ok: true, accepted: true, location: null };
  const rejectedAt = (line: number): Verdict => ({ ok: true, accepted: false, location: { file: 'a.json', line, column: 2 } });
  const qemuRejectsAt = (line: number): QemuOutcome => ({ kind: 'rejected', location: { file: 'a.json', line, column: null }, message: '' });
  const cases: [string, Verdict, string | null, QemuOutcome, Comparison][] = [
    ['both accept, same dump', accepted, 'h1', { kind: 'accepted', dumpHash: 'h1' }, 'agree'],
    ['both accept, dumps differ', accepted, 'h1', { kind: 'accepted', dumpHash: 'h2' }, 'dump-differs'],
    ['both accept, no dump of ours', accepted, null, { kind: 'accepted', dumpHash: 'h2' }, 'agree'],
    ['both reject on the same line (columns aside)', rejectedAt(3), null, qemuRejectsAt(3), 'agree'],
    ['both reject, different lines', rejectedAt(3), null, qemuRejectsAt(4), 'location-differs'],
    ['we accept, QEMU rejects', accepted, 'h', qemuRejectsAt(1), 'we-accept-qemu-rejects'],
    ['we reject, QEMU accepts', rejectedAt(1), null, { kind: 'accepted', dumpHash: 'h' }, 'we-reject-qemu-accepts'],
    ['QEMU fails', rejectedAt(1), null, { kind: 'failed', detail: 'MemoryError' }, 'qemu-failed'],
    ['we fail', { ok: false, kind: 'wall-time', detail: '', location: null }, null, qemuRejectsAt(1), 'ours-failed'],
  ];
  it.each(cases)('%s', (_name, ours, dump, qemu, want) => {
    expect(compare(ours, dump, qemu)).toBe(want);
  });
});

describe('lineCounter', () => {
  const corpus = { name: 't', dir: '', root: 'qapi-schema.json', files: new Map([['qapi-schema.json', Buffer.from('a\nb\nc\n')]]), cliArgs: [] };
  const mutant: Mutant = {
    seed: 0,
    index: 0,
    corpus,
    files: new Map([
      ['chain/0.json', Buffer.from('x')],
      ['crlf.json', Buffer.from('a\r\nb\rc\n')],
    ]),
    specials: [
      { kind: 'sparse', path: 'huge.json', size: 2 ** 30 },
      { kind: 'fifo', path: 'fifo.json' },
    ],
    operations: [],
  };
  const count = lineCounter(mutant, '/work/in');
  it.each([
    ['a file of the release', 'qapi-schema.json', 4],
    ['the same, spelled oddly', './sub/../qapi-schema.json', 4],
    ['the same, as an absolute path', '/work/in/qapi-schema.json', 4],
    ['an added file', 'chain/0.json', 1],
    ['lines ended by CR LF, CR and LF', 'crlf.json', 4],
    ['a sparse file: zeros, one line', 'huge.json', 1],
    ['a FIFO: not judged', 'fifo.json', null],
    ['outside the schema: not judged', '/proc/self/status', null],
    ['a file the schema does not have', 'missing.json', undefined],
  ])('%s', (_name, file, want) => {
    expect(count(file)).toBe(want);
  });
});
