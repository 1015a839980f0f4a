import { describe, expect, it } from 'vitest';
import { nearMisses } from '../../runtime/near-miss.js';

const DRIVERS = ['qcow', 'qcow2', 'qed', 'raw', 'file', 'host_device', 'vmdk', 'vhdx', 'nbd'];

describe('nearMisses', () => {
  it.each([
    ['one substitution', 'qcow3', DRIVERS, ['qcow', 'qcow2']],
    ['a swap of neighbours', 'rwa', DRIVERS, ['raw']],
    ['case and - or _', 'HOST-DEVICE', DRIVERS, ['host_device']],
    ['too far from everything', 'sheepdog', DRIVERS, []],
    ['the name itself is no near miss', 'raw', ['raw'], []],
    ['closest first, at most three', 'ab', ['abc', 'ab-', 'xab', 'a', 'b'], ['abc', 'ab-', 'xab']],
    ['a short word allows one edit only', 'ab', ['xy', 'a'], ['a']],
    [
      'a long word allows one edit per three characters',
      'blockcommit',
      ['blckcmi', 'blckcomi', 'blockcomi'],
      ['blockcomi', 'blckcomi'],
    ],
    ['a close match drops those two edits farther', 'CONFIG_LINUXX', ['CONFIG_WIN32', 'CONFIG_LINUX', 'CONFIG_LINUS'], ['CONFIG_LINUX', 'CONFIG_LINUS']],
  ])('%s', (_, word, candidates, want) => {
    expect(nearMisses(word, candidates)).toEqual(want);
  });

  it('gives no hints for words longer than 64 characters (their cost grows with length squared)', () => {
    const long = 'x'.repeat(65);
    expect(nearMisses(long, [`${long}y`])).toEqual([]);
    expect(nearMisses('x'.repeat(64), ['x'.repeat(63)])).toEqual(['x'.repeat(63)]);
  });
});
