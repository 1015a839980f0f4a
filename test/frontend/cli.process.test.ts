/**
 * The built command as a user meets it: exit codes, one-line usage errors,
 * located schema errors, never a stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runBuilt } from '../helpers/cli.js';
import { scratchFolders } from '../helpers/scratch.js';

const dir = scratchFolders('qapi-ts-cli-')();
const good = join(dir, 'good.json');
const bad = join(dir, 'bad.json');
writeFileSync(good, "##\n# @Colour:\n# @red: warm\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n");
writeFileSync(bad, "{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'struct': 'Paint',\n  'data': { 'colour': 'Color' } }\n");

const usage: [string, string[], RegExp][] = [
  ['missing schema file', ['check', join(dir, 'absent.json')], /does not exist/],
  ['unknown flag', ['check', '--frobnicate', good], /unknown option/],
  ['unknown verb', ['frobnicate'], /unknown command/],
  ['missing argument', ['dump'], /missing required argument/],
];

describe.each(usage)('usage error: %s', (_name, args, message) => {
  it('exits 2 with a one-line message', () => {
    const result = runBuilt(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('check', () => {
  it('exits 0 and prints nothing for a valid schema', () => {
    expect(runBuilt(['check', good])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 with a located error for an invalid one', () => {
    const result = runBuilt(['check', bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `${bad}: In struct 'Paint':\n${bad}:2:1: member 'colour' refers to the type 'Color', which is not defined\n` +
        `${bad}:3:13: note: the part in question is here\n`,
    );
  });
});

describe('dump', () => {
  it('prints the model', () => {
    const result = runBuilt(['dump', good]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('enum Colour\n    member red\n');
    expect(result.stdout).toContain('doc symbol=Colour\n    body=\n\n    arg=red\nwarm\n');
  });
});
