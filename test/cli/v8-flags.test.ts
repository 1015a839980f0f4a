/**
 * The CLI turns V8's optimizer and incremental marking off only for runs
 * that end soon: not for `generate --watch`, `qmp --wait-job`, `qmp
 * --events` or `shell`, which go on.
 */
import { describe, expect, it } from 'vitest';
import { endsWhenSettled, isShortRun, v8FlagsFor } from '../../generator/cli/v8-flags.js';

describe('runs without the optimizer and incremental marking', () => {
  it.each([
    [['check', 'qapi-schema.json'], true],
    [['generate', 'qapi-schema.json', '-o', 'out'], true],
    [['qmp', '--socket', 's', 'query-version'], true],
    [['dump', 'x.json'], true],
    [['generate', '--watch', 'qapi-schema.json', '-o', 'out'], false],
    [['qmp', '--socket', 's', 'block-commit', '{"device":"d"}', '--wait-job'], false],
    [['qmp', '--socket', 's', '--events', 'JOB_STATUS_CHANGE'], false],
    [['shell', '--socket', 's'], false],
    [['check', 'shell'], true],
  ])('%j: short run %s', (argv, short) => {
    expect(isShortRun(argv)).toBe(short);
    expect(v8FlagsFor(argv)).toEqual(short ? ['--no-opt', '--no-incremental-marking'] : []);
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
