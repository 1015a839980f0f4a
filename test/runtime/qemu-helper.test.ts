import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireBinaries } from '../helpers/qemu.js';

describe('requireBinaries', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('finds binaries on PATH', () => {
    expect(requireBinaries(['node'])).toEqual({ available: true, missing: [] });
  });

  it('skips with a visible warning outside CI', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const r = requireBinaries(['node', 'no-such-binary-qapi-ts'], 'demo');
    expect(r).toEqual({ available: false, missing: ['no-such-binary-qapi-ts'] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPING demo: missing no-such-binary-qapi-ts'));
  });

  it('fails under CI', () => {
    vi.stubEnv('CI', 'true');
    expect(() => requireBinaries(['no-such-binary-qapi-ts'])).toThrow(/CI is set/);
  });
});
