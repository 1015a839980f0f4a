/**
 * The suite's processes start without NODE_EXTRA_CA_CERTS, and npm gets it
 * back.  Node 20 reads the certificates that variable names as it starts,
 * before a program's first line (bench/table.mjs says more): about 47 ms of
 * CPU a process on the project's machine, whose sandbox sets it for every
 * process, against some 28 ms for the whole start-up of `node -e 0`.  The
 * suite starts some 250 Node processes (vitest's workers, the built CLI,
 * the fuzzer's pools, the runs under other Node releases), and none of them
 * opens a TLS connection but npm's, which may reach the registry to
 * install the packed packages' dependencies (test/helpers/packed.ts):
 * measured over a whole `npm test`, 11 s of CPU (273 -> 262 s).
 *
 * vitest.config.ts calls `leaveCaCertsToNpm` before vitest starts its
 * workers, which, with everything they start, inherit the environment.
 * The variable's value moves aside, under NPM_CA_CERTS, for `npmEnv`.
 */

/** Where the variable's value waits for npm's processes. */
export const NPM_CA_CERTS = 'QAPI_TS_TEST_NPM_EXTRA_CA_CERTS';

/** Moves NODE_EXTRA_CA_CERTS aside in `env` (this process's by default).
 *  Run again (the nested vitest of the nodes tier loads the same config),
 *  it leaves the value where the first run put it. */
export function leaveCaCertsToNpm(env: NodeJS.ProcessEnv = process.env): void {
  const value = env.NODE_EXTRA_CA_CERTS;
  if (value === undefined) return;
  env[NPM_CA_CERTS] = value;
  delete env.NODE_EXTRA_CA_CERTS;
}

/** The environment for an npm process that may reach the registry: this
 *  process's, with NODE_EXTRA_CA_CERTS as the machine set it. */
export function npmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const value = env[NPM_CA_CERTS];
  return value === undefined ? env : { ...env, NODE_EXTRA_CA_CERTS: value };
}
