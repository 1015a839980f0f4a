/**
 * The job scenarios of test/testing/helpers/job-scenarios.ts against QEMU
 * 10.0.2's qemu-storage-daemon: each trace (replies and job events, in
 * order) is QEMU's own.  test/testing/jobs.test.ts requires the same
 * traces of the peer's job simulator, so the simulator walks QEMU's
 * states with QEMU's events in QEMU's order.
 */
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImage, requireQemu10 } from '../helpers/qemu.js';
import { JOB_SCENARIOS, runScript, TARGET_IMAGES } from '../testing/helpers/job-scenarios.js';
import { buildChain } from './helpers/chain.js';
import { chainBlockdevs, E2eScope } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img', 'qemu-io'], 'job event order of QEMU 10.0.2');

describe.skipIf(!qemu10.available)('QEMU 10.0.2: the job scenarios give the traces the simulator is held to', () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it.each(JOB_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const chain = buildChain(scope.dir, { qemu: qemu10 });
    for (const t of TARGET_IMAGES) createImage(join(scope.dir, `${t}.qcow2`), '16M', { qemu: qemu10 });
    const daemon = await scope.daemon(qemu10, chainBlockdevs(chain));
    const socket = createConnection({ path: daemon.socketPath });
    try {
      expect(await runScript(socket, scenario.script)).toEqual(scenario.trace);
    } finally {
      socket.destroy();
    }
  }, 60_000);
});
