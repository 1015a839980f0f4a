/**
 * `qapi-ts --version` (and `-V`) prints the version package.json gives
 * qapi-ts, the one place it is written, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the version', () => {
  it.each([['--version'], ['-V']])('%s prints package.json\'s version alone, exit 0', async (flag) => {
    expect(await runInProcess([flag])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  it('is listed by --help', async () => {
    const r = await runInProcess(['--help']);
    expect(r.stdout).toMatch(/^ {2}-V, --version +print the version of qapi-ts and exit$/m);
  });
});
