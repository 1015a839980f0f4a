/**
 * The suite's processes start without NODE_EXTRA_CA_CERTS, npm's with it
 * (test/setup/child-env.ts).
 */
import { describe, expect, it } from 'vitest';
import { leaveCaCertsToNpm, NPM_CA_CERTS, npmEnv } from '../setup/child-env.js';

describe('NODE_EXTRA_CA_CERTS in the suite', () => {
  it('is not in the environment of the workers, which every process of the suite inherits', () => {
    // vitest.config.ts moved it aside before this worker started.
    expect(process.env.NODE_EXTRA_CA_CERTS).toBeUndefined();
  });

  it('moves aside, and npm gets it back', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/certs.pem' };
    leaveCaCertsToNpm(env);
    expect(env).toEqual({ PATH: '/bin', [NPM_CA_CERTS]: '/etc/certs.pem' });
    expect(npmEnv(env)).toEqual({ PATH: '/bin', [NPM_CA_CERTS]: '/etc/certs.pem', NODE_EXTRA_CA_CERTS: '/etc/certs.pem' });
    // The nested vitest of the nodes tier loads the config again, in an
    // environment already moved aside: the value stays where it is.
    leaveCaCertsToNpm(env);
    expect(npmEnv(env).NODE_EXTRA_CA_CERTS).toBe('/etc/certs.pem');
  });

  it('leaves an environment without it as it is', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin' };
    leaveCaCertsToNpm(env);
    expect(env).toEqual({ PATH: '/bin' });
    expect(npmEnv(env)).toBe(env);
  });
});
