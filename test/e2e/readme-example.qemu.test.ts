/**
 * The README's main example, as README.md has it (only where its bindings
 * are changed: see test/testing/helpers/consumer-programs.ts), run as a
 * program against a guest-less qemu-system-x86_64 of QEMU 7.2 holding the
 * chain as drive0: the active layer, top, and mid under it are committed
 * into base, the bottom of the chain (block-commit's default).
 * test/testing/consumers.process.test.ts runs the same program against the peer,
 * without QEMU; test/project/doc-blocks.qemu.test.ts runs the whole quick
 * start as written against QEMU 10.0.2.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireBinaries } from '../helpers/qemu.js';
import { programFolder, runProgram, writeReadmeProgram } from '../testing/helpers/consumer-programs.js';
import { BASE_AFTER_FULL_COMMIT, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
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

  it('commits the chain into base and prints the completion event', async () => {
    const chain = buildChain(scope.dir);
    const vm = await scope.systemWithDrive(chain);
    const program = await writeReadmeProgram(folder.dir);
    const r = await runProgram(program, [vm.socketPath]);
    expect(r.output).toMatch(/^BLOCK_JOB_COMPLETED: \d+ bytes$/m);
    expect(r.code).toBe(0);
    await vm.stop();
    // base now holds what the guest saw through top.
    expect(mismatches(chain.base, BASE_AFTER_FULL_COMMIT)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
  }, 120_000);
});
