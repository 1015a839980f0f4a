/**
 * The README's main example, as README.md has it (only the socket, the
 * image and where its bindings are changed: see
 * test/testing/helpers/consumer-programs.ts), run as a program against a
 * guest-less qemu-system-x86_64 holding the chain as drive0: mid is
 * committed into base.  test/testing/consumers.process.test.ts runs the same
 * program against the peer, without QEMU.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backingChain, requireBinaries } from '../helpers/qemu.js';
import { programFolder, runProgram, writeReadmeProgram } from '../testing/helpers/consumer-programs.js';
import { BASE_AFTER_MID_COMMIT, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { E2E_BINARIES, E2eScope } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, "the README's example on qemu-system-x86_64");
const folder = programFolder('readme-e2e');
afterAll(() => folder.dispose());

describe.skipIf(!qemu.available)("the README's main example against QEMU", () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('commits mid into base and prints the completion event', async () => {
    const chain = buildChain(scope.dir);
    const vm = await scope.systemWithDrive(chain);
    const program = await writeReadmeProgram(folder.dir, vm.socketPath, chain.mid);
    const r = await runProgram(program);
    expect(r.output).toMatch(/^BLOCK_JOB_COMPLETED: drive0 \d+ bytes$/m);
    expect(r.code).toBe(0);
    await vm.stop();
    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.base]);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
  }, 120_000);
});
