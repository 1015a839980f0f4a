/**
 * The CLI turns V8's optimizer and incremental marking off only for runs
 * that end soon: not for `qmp --wait-job`, `qmp --events` or `shell`,
 * which go on; `check` also keeps its young generation small.  A watch
 * starts without the optimizer (its warm-up turns it on).
 */
import { describe, expect, it } from 'vitest';
import { endsWhenSettled, isShortRun, runKindOf, v8FlagsFor } from '../../generator/cli/v8-flags.js';

const SHORT = ['--no-opt', '--no-incremental-marking'];

describe('runs without the optimizer and incremental marking', () => {
  it.each([
    [['check', 'qapi-schema.json'], 'check', [...SHORT, '--semi-space-growth-factor=1', '--no-parallel-scavenge', '--no-concurrent-array-buffer-sweeping']],
    [['generate', 'qapi-schema.json', '-o', 'out'], 'short', SHORT],
    [['qmp', '--socket', 's', 'query-version'], 'short', SHORT],
    [['dump', 'x.json'], 'short', SHORT],
    [['generate', '--watch', 'qapi-schema.json', '-o', 'out'], 'watch', ['--no-opt']],
    [['qmp', '--socket', 's', 'block-commit', '{"device":"d"}', '--wait-job'], 'long', []],
    [['qmp', '--socket', 's', '--events', 'JOB_STATUS_CHANGE'], 'long', []],
    [['shell', '--socket', 's'], 'long', []],
    [['check', 'shell'], 'check', [...SHORT, '--semi-space-growth-factor=1', '--no-parallel-scavenge', '--no-concurrent-array-buffer-sweeping']],
  ])('%j: a %s run, with %j', (argv, kind, flags) => {
    expect(runKindOf(argv)).toBe(kind);
    expect(isShortRun(argv)).toBe(kind === 'check' || kind === 'short');
    expect(v8FlagsFor(argv)).toEqual(flags);
  });
});

describe('ends as soon as its output is out: short runs of the verbs that leave nothing running', () => {
  it.each([
    [['check', 'qapi-schema.json'], true],
    [['generate', 'qapi-schema.json', '-o', 'out'], true],
    [['dump', 'x.json'], true],
    [['jsonschema', 'x.json', '-o', 'out'], true],
    [['generate', '--watch', 'qapi-schema.json', '-o', 'out'], false],
    [['qmp', '--socket', 's', 'query-version'], false],
    [['fake-qemu', 'x.json', '--socket', 's'], false],
    [['shell', '--socket', 's'], false],
    [['--help'], false],
  ])('%j: %s', (argv, ends) => {
    expect(endsWhenSettled(argv)).toBe(ends);
  });
});
