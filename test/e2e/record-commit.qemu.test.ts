/**
 * Issue 18, must show 3, live: a block-commit session with QEMU 10.0.2's
 * qemu-storage-daemon recorded through the recording proxy (the program
 * unchanged, pointed at the proxy), then replayed through the peer: the
 * same program gets the same results, down to the events' timestamps; a
 * program with one argument changed fails the replay with a message naming
 * it.  With QAPI_TS_UPDATE_FIXTURES=1 the recording and the results become
 * the fixture test/testing/replay.test.ts replays without QEMU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QmpError, stringifyQmpJson, TypeRegistry } from 'qapi-ts-runtime';
import { QmpRecorder, recordingText, ReplayMismatchError, ReplayPeer } from 'qapi-ts-runtime/testing';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { createImage, qemuIo, requireQemu10 } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { commitProgram } from '../testing/helpers/commit-program.js';
import { E2eScope } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img', 'qemu-io'], 'recording a block-commit session of QEMU 10.0.2');
const Q100 = requireShared('qemu-10.0/qapi/qapi-schema.json', 'recording with the bindings of QEMU 10.0');

export const FIXTURE_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'recordings');

describe.skipIf(!qemu10.available || !Q100.available)('a block-commit session of QEMU 10.0.2, recorded and replayed', () => {
  let bindings: TypeRegistry;
  let scope: E2eScope;
  beforeAll(() => {
    const t = buildTables(loadSchema(Q100.path, { qemuVersion: '10.0' }).model);
    bindings = new TypeRegistry([t.types], [t.commands], { events: [t.events] });
  });
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('replays to the same results; a changed argument fails the replay naming it', async () => {
    // The chain with relative backing names, so the recording names no temporary folder.
    const image = (name: string) => join(scope.dir, `${name}.qcow2`);
    createImage(image('base'), '16M', { qemu: qemu10 });
    createImage(image('mid'), undefined, { backing: 'base.qcow2', qemu: qemu10 });
    createImage(image('top'), undefined, { backing: 'mid.qcow2', qemu: qemu10 });
    expect(qemuIo(image('mid'), ['write -P 0x3d 1M 1M'], { qemu: qemu10 }).ok).toBe(true);
    expect(qemuIo(image('top'), ['write -P 0x70 2M 1M'], { qemu: qemu10 }).ok).toBe(true);
    const daemon = await scope.daemon(qemu10);

    const recorder = new QmpRecorder({ upstream: { path: daemon.socketPath } });
    const live = await commitProgram(await recorder.listen({ path: join(scope.dir, 'recorder.sock') }), bindings);
    await recorder.close();
    const recording = recorder.recording;
    expect(live.statuses).toEqual(['created', 'running', 'waiting', 'pending', 'concluded', 'null']);
    expect(live.completed).toMatchObject({ event: 'BLOCK_JOB_COMPLETED', data: { type: 'commit', device: 'commit0' } });

    const replay = new ReplayPeer(recording);
    const replayed = await commitProgram(replay.pair(), bindings);
    replay.assertReplayed();
    expect(replayed).toEqual(live);
    await replay.close();

    const mismatches: ReplayMismatchError[] = [];
    const strict = new ReplayPeer(recording, { onError: (e) => mismatches.push(e) });
    const altered = await commitProgram(strict.pair(), bindings, 'commit1').catch((e: unknown) => e);
    await strict.close();
    expect(altered).toBeInstanceOf(QmpError);
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]!.message).toMatch(/request \d+ \(block-commit\) differs from the recording:\n {2}arguments\.job-id: recorded "commit0", sent "commit1"$/);

    if (process.env.QAPI_TS_UPDATE_FIXTURES) {
      mkdirSync(FIXTURE_DIR, { recursive: true });
      writeFileSync(join(FIXTURE_DIR, 'qemu-10.0.2-block-commit.jsonl'), recordingText(recording));
      writeFileSync(join(FIXTURE_DIR, 'qemu-10.0.2-block-commit.results.json'), `${stringifyQmpJson(live)}\n`);
    }
  }, 120_000);
});
