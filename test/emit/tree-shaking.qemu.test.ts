/**
 * A bundler that sees one command used drops the rest.  QEMU 7.2's
 * bindings (the default target) bundled with esbuild, minified, beside the
 * QMP client (bench/bundles.mjs): a program calling only `block-commit`
 * against one calling every command's function, one using the command
 * class, and one using the client alone.  The one-command bundle holds that
 * command, the types its arguments reach and the validator, and nothing
 * else of the schema.
 *
 * The registry (`{ bindings: registry }`, as README's example connects)
 * holds every table, so a program using it keeps the whole schema; the
 * registry of a `--only` build of block-commit and the events runBlockJob
 * follows keeps only those.  Those small programs (the function, and
 * README's example with the class) also run against qemu-storage-daemon
 * (the registry reads the completion event's 64-bit integers as bigint),
 * and README's is type-checked (the completion event is typed by the
 * build's events).  `npm run bench` prints the same bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, commandFunctions, CONSUMERS, JOB_ONLY, writeConsumers } from '../../bench/bundles.mjs';
import { writeOutput } from '../../generator/cli/writer/directory.js';
import { isGeneratedFile } from '../../generator/emit/templates.js';
import { generate } from '../../generator/generate.js';
import { createImage, makeTempDir, qemuIo, removeTempDir, requireBinaries, startStorageDaemon, type QmpProcess } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode, typecheck } from '../helpers/tsc.js';

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'tree-shaking of QEMU 7.2 bindings');
const qemu = requireBinaries(['qemu-storage-daemon', 'qemu-img'], 'running a bundle of a --only build against qemu-storage-daemon');

// Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-shake-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Consumer = (typeof CONSUMERS)[number];

describe.skipIf(!Q72.available)('bundles of programs using QEMU 7.2 bindings', () => {
  const bundles = new Map<Consumer, { size: number; text: string }>();
  const size = (name: Consumer): number => bundles.get(name)?.size ?? Number.NaN;
  // (Booleans, not the bundles themselves, in the messages: they are long.)
  const holds = (name: Consumer, text: string): boolean => bundles.get(name)?.text.includes(text) ?? false;
  /** What a program's bindings add to the program that uses none. */
  const added = (name: Consumer, base: Consumer): number => size(name) - size(base);

  beforeAll(async () => {
    writeOutput(join(work, 'gen'), await generate({ schema: Q72.path, qemuVersion: '7.2' }), { owns: isGeneratedFile });
    writeOutput(join(work, 'only'), await generate({ schema: Q72.path, qemuVersion: '7.2', only: JOB_ONLY }), { owns: isGeneratedFile });
    writeConsumers(work);
    for (const c of CONSUMERS) bundles.set(c, await bundle(join(work, `${c}.js`)));
  }, 120_000);

  it('calls every command in the all-commands program', () => {
    expect(commandFunctions(join(work, 'gen')).length).toBeGreaterThan(200);
  });

  it('one command costs a small part of what every command costs', () => {
    // What the bindings add to the client alone: one command, a few percent
    // of all.  (Measured beside the client, not as a ratio of whole bundles:
    // the client is most of a one-command bundle, so that ratio moved with
    // every byte the runtime grew and said nothing about the bindings;
    // `npm run bench` has the bytes.)
    expect(added('one', 'client') / added('all', 'client')).toBeLessThan(0.1);
    // The class holds every command, and the registry by the descriptors' names.
    expect(size('class')).toBeGreaterThan(size('all'));
  });

  it("keeps a command's Standard Schema validator only where the program uses it", () => {
    // The generated constants are pure: every command's function, and the
    // runtime's class with them, come without their validators.
    for (const without of ['one', 'all', 'class', 'readme'] as const) expect(holds(without, '~standard'), without).toBe(false);
    expect(holds('standard', '~standard')).toBe(true);
    // Using one costs the runtime's class and one constant: a few hundred bytes.
    expect(added('standard', 'one')).toBeGreaterThan(0);
    expect(added('standard', 'one')).toBeLessThan(1024);
  });

  it('keeps block-commit and what its arguments reach, and drops the rest of the schema', () => {
    for (const kept of ['"block-commit"', '"on-error"', '"filter-node-name"']) expect(holds('one', kept), kept).toBe(true);
    for (const gone of ['"blockdev-add"', '"query-block-jobs"', '"x-debug-query-block-graph"', '"migrate-set-capabilities"', '"drive-mirror"']) {
      expect(holds('one', gone), gone).toBe(false);
      expect(holds('all', gone), gone).toBe(true);
    }
  });

  it("the whole registry keeps the whole schema; a --only build's registry only what it names", () => {
    // The registry holds every table: it adds more than every command's function does.
    expect(added('registry', 'job')).toBeGreaterThan(added('all', 'client'));
    // README's example (the class, the registry) keeps as much.
    expect(added('readme', 'job')).toBeGreaterThan(added('registry', 'job'));
    // Over a --only build, either program adds a few percent of that.
    expect(added('only-registry', 'job') / added('registry', 'job')).toBeLessThan(0.05);
    expect(added('only-readme', 'job') / added('readme', 'job')).toBeLessThan(0.05);
    // ...and is within a few percent of the function alone (plus runBlockJob).
    expect(size('only-readme') / size('job')).toBeLessThan(1.1);
  });

  it.each(['only-registry', 'only-readme'] as const)('%s keeps the job events, block-commit and their types, and nothing else', (name) => {
    // Type names (the registry's tables are by name), and values of enums
    // only the events' data reach: none of them is in the runtime.
    for (const kept of ['"filter-node-name"', '"JobStatus"', '"BlockErrorAction"', '"concluded"', '"IoOperationType"']) {
      expect(holds('job', kept), kept).toBe(false);
      expect(holds(name, kept), kept).toBe(true);
    }
    for (const gone of ['"blockdev-add"', '"BLOCK_IO_ERROR"', '"drive-mirror"', '"BlockdevOptions"', '"QUORUM_FAILURE"', '"migrate-set-capabilities"']) {
      expect(holds(name, gone), gone).toBe(false);
      expect(holds(name.replace('only-', '') as Consumer, gone), gone).toBe(true);
    }
  });

  it('types the completion event of runBlockJob by the --only build', async () => {
    const program = join(work, 'only-typed.ts');
    writeFileSync(
      program,
      [
        "import { QmpClient, runBlockJob } from 'qapi-ts-runtime';",
        "import { QmpCommands, registry } from './only/index.js';",
        "const client = await QmpClient.connect({ path: 'qmp.sock' }, { bindings: registry });",
        "const done = await runBlockJob(client, () => new QmpCommands(client).blockCommit({ device: 'drive0' }));",
        // The build's event types, 64-bit integers as bigint (the default --int64).
        "export const event: 'BLOCK_JOB_COMPLETED' = done.event;",
        'export const len: bigint = done.data.len;',
        "export const type: 'commit' | 'stream' | 'mirror' | 'backup' | 'create' | 'amend' | 'snapshot-load' | 'snapshot-save' | 'snapshot-delete' = done.data.type;",
        "client.on('BLOCK_JOB_ERROR', (e) => console.log(e.data.operation satisfies 'read' | 'write'));",
        '// @ts-expect-error -- an event the build leaves out is unknown to its client',
        "client.on('BLOCK_IO_ERROR', () => {});",
        '',
      ].join('\n'),
    );
    const r = await typecheck([program]);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  describe.skipIf(!qemu.available)('run against qemu-storage-daemon', () => {
    let dir: string | undefined;
    let daemon: QmpProcess | undefined;
    afterEach(async () => {
      daemon?.kill('SIGKILL');
      await daemon?.exited;
      removeTempDir(dir);
      dir = daemon = undefined;
    });

    /** Runs a bundle's active commit of node `top` over a fresh daemon; its completion event. */
    async function commitWith(name: Consumer): Promise<{ event: string; data: Record<string, unknown> }> {
      dir = makeTempDir('qapi-ts-shake-');
      const base = join(dir, 'base.qcow2');
      const top = join(dir, 'top.qcow2');
      createImage(base, '4M');
      createImage(top, undefined, { backing: base, backingFormat: 'qcow2' });
      expect(qemuIo(top, ['write -P 0x22 0 1M']).ok).toBe(true);
      daemon = await startStorageDaemon(dir, ['--blockdev', `driver=file,node-name=topfile,filename=${top}`, '--blockdev', 'driver=qcow2,node-name=top,file=topfile']);
      const file = join(work, `${name}.bundle.mjs`);
      writeFileSync(file, bundles.get(name)?.text ?? '');
      const r = await runNode([file, daemon.socketPath, 'commit0', 'top'], 60_000);
      expect(r.code, r.output).toBe(0);
      return JSON.parse(r.output) as { event: string; data: Record<string, unknown> };
    }

    it.each(['only-registry', 'only-readme'] as const)("%s follows the job to BLOCK_JOB_COMPLETED, read by the --only build's registry", async (name) => {
      const done = await commitWith(name);
      expect(done.event).toBe('BLOCK_JOB_COMPLETED');
      expect(done.data).toMatchObject({ type: 'commit', device: 'commit0' });
      expect(done.data.error).toBeUndefined();
      // The registry read the 64-bit integers as bigint (printed as '123n')...
      expect(done.data.len).toMatch(/^[1-9][0-9]*n$/);
      expect(done.data.offset).toBe(done.data.len);
    }, 90_000);

    it('reads them as plain numbers without bindings', async () => {
      // ...which the same job without bindings does not.
      const done = await commitWith('job');
      expect(done.event).toBe('BLOCK_JOB_COMPLETED');
      expect(typeof done.data.len).toBe('number');
      expect(done.data.len).toBeGreaterThan(0);
    }, 90_000);
  });
});
