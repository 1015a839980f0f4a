/**
 * `qapi-ts fake-qemu` and `qapi-ts record`, as programs in other languages
 * would use them: the built CLI serving QMP from a source schema, a
 * capture or a recording, on a unix socket or a loopback port, with
 * handlers from a module, until SIGTERM (exit 0, socket removed; 5 when a
 * replay diverged or a handler failed); `record` relaying to a QEMU
 * (here the peer stands in for one) and writing the recording that
 * `fake-qemu --replay` then serves.  Bad command lines are usage errors
 * (exit 2) naming what is wrong.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpError } from 'qapi-ts-runtime';
import { parseRecording, QmpPeer } from 'qapi-ts-runtime/testing';
import { registry } from '../../generated/index.js';
import { runInProcess } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { startServing, type Serving } from '../testing/helpers/serving.js';

const DEFAULT_SCHEMA = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');
const CAPTURE = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'fake-qemu serving a capture');

let dir: string;
const running: Serving[] = [];
const open: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = makeTempDir('qapi-ts-fake-cli-');
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close().catch(() => {});
  for (const s of running.splice(0)) await s.stop('SIGKILL');
  removeTempDir(dir);
});

async function serve(args: readonly string[]): Promise<Serving> {
  const s = await startServing(args);
  running.push(s);
  return s;
}

async function connect(target: Parameters<typeof QmpClient.connect>[0]): Promise<QmpClient<never>> {
  const client = await QmpClient.connect(target, { bindings: registry, checkSchema: { cache: new Map() } });
  open.push(client);
  return client as never;
}

describe('fake-qemu', () => {
  it('serves a source schema on a unix socket until SIGTERM, then removes it', async () => {
    const socket = join(dir, 'qmp.sock');
    const s = await serve(['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--listen', socket]);
    expect(s.stdout()).toBe(`fake-qemu: listening on ${socket}\n`);
    const client = await connect({ path: socket });
    expect(client.schemaDrift?.differences).toEqual([]);
    const error = await client.execute('block-commit', { device: 'drive0', top: 'mid.qcow2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorClass: 'GenericError', desc: expect.stringMatching(/no handler answers 'block-commit'/) });
    // Unchecked: the client's own schema check would refuse it before sending.
    expect(await client.execute('block-commit', { top: 'x' }, { unchecked: true }).catch((e: QmpError) => e.desc)).toBe("Parameter 'device' is missing");
    await client.close();
    expect(await s.stop('SIGTERM')).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(s.stderr()).toBe('');
  });

  it('listens on a loopback port, and SIGINT stops it too', async () => {
    const s = await serve(['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--port', '0']);
    const [host, port] = s.address.split(':');
    expect(host).toBe('127.0.0.1');
    const client = await connect({ host: host!, port: Number(port) });
    expect(await client.execute('query-version')).toMatchObject({ qemu: { major: 10, minor: 0, micro: 2 } });
    expect(await s.stop('SIGINT')).toBe(0);
  });

  it('runs the handlers of a module, and exits 5 when one fails', async () => {
    const module = join(dir, 'handlers.mjs');
    writeFileSync(
      module,
      [
        'export default function (peer) {',
        "  peer.handle('block-commit', (args) => { peer.jobs.start({ id: args.device, type: 'commit', len: 1024 }); });",
        "  peer.handle('query-version', () => ({ qemu: 'wrong' }));",
        '}',
      ].join('\n'),
    );
    const socket = join(dir, 'qmp.sock');
    const s = await serve(['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--handlers', module, '--listen', socket]);
    const client = await connect({ path: socket });
    const done = client.waitFor('BLOCK_JOB_COMPLETED' as never, undefined, { since: 'now' });
    await client.execute('block-commit', { device: 'drive0', top: 'mid.qcow2' });
    expect((await done).data).toMatchObject({ device: 'drive0', len: 1024n });
    expect(await client.execute('query-version').catch((e: QmpError) => e.desc)).toMatch(/^fake QEMU: query-version: the handler's return value is not what the schema says/);
    await client.close();
    expect(await s.stop()).toBe(5);
    expect(s.stderr()).toMatch(/^fake-qemu: query-version: the handler's return value is not what the schema says: return\.qemu: expected an object, got "wrong"; return\.package: missing required member\n/);
    expect(s.stderr()).toMatch(/qapi-ts: fake-qemu: 1 problem\(s\), listed above\n$/);
  });

  it.skipIf(!CAPTURE.available).each([
    ['--introspection FILE', () => ['--introspection', CAPTURE.path]],
    ['a capture as SCHEMA (told apart by content, as every verb does)', () => [CAPTURE.path]],
  ])('serves a capture as it is, greeting with its version: %s', async (_how, input) => {
    const socket = join(dir, 'qmp.sock');
    await serve(['fake-qemu', ...input(), '--listen', socket]);
    const client = await QmpClient.connect({ path: socket });
    open.push(client);
    expect(client.greeting.version).toEqual({ qemu: { major: 10, minor: 0, micro: 2 }, package: 'Debian 1:10.0.2+ds-2+deb13u1~bpo12+1' });
    const capture = JSON.parse(readFileSync(CAPTURE.path, 'utf8')) as { schema: unknown[] };
    expect(await client.execute('query-qmp-schema')).toEqual(capture.schema);
  });
});

describe('record, then fake-qemu --replay', () => {
  /** Records one session of a client with a peer, through `qapi-ts record --once`; the file. */
  async function recordSession(): Promise<string> {
    const qemu = new QmpPeer({ bindings: registry });
    qemu.handle('block-commit', () => {});
    open.push(qemu);
    const upstream = join(dir, 'qemu.sock');
    await qemu.listen({ path: upstream });
    const file = join(dir, 'session.jsonl');
    const proxy = join(dir, 'proxy.sock');
    const rec = await serve(['record', '--socket', upstream, '--listen', proxy, '-o', file, '--once']);
    expect(rec.stdout()).toBe(`record: listening on ${proxy}, relaying to ${upstream}, writing ${file}\n`);
    const client = await QmpClient.connect({ path: proxy });
    await client.execute('block-commit', { device: 'drive0', top: 'mid.qcow2' });
    await client.close();
    // --once: it stops by itself when the session ends.
    expect(await rec.stop('SIGCONT')).toBe(0);
    expect(existsSync(proxy)).toBe(false);
    return file;
  }

  it('records a session, and the replay serves it to the same program', async () => {
    const file = await recordSession();
    const recording = parseRecording(readFileSync(file, 'utf8'));
    expect(recording.entries.filter((e) => 'client' in e).map((e) => ('client' in e ? (e.client as { execute: string }).execute : ''))).toEqual(['qmp_capabilities', 'block-commit']);
    const socket = join(dir, 'replay.sock');
    const s = await serve(['fake-qemu', '--replay', file, '--listen', socket]);
    const client = await QmpClient.connect({ path: socket });
    expect(await client.execute('block-commit', { device: 'drive0', top: 'mid.qcow2' })).toEqual({});
    await client.close();
    expect(await s.stop()).toBe(0);
    expect(s.stderr()).toBe('');
  });

  it('reports a program that sends something else, and exits 5', async () => {
    const file = await recordSession();
    const socket = join(dir, 'replay.sock');
    const s = await serve(['fake-qemu', '--replay', file, '--listen', socket]);
    const client = await QmpClient.connect({ path: socket });
    const error = (await client.execute('block-commit', { device: 'drive1', top: 'mid.qcow2' }).catch((e: unknown) => e)) as QmpError;
    expect(error.desc).toBe('replay: connection 1, request 2 (block-commit) differs from the recording: arguments.device: recorded "drive0", sent "drive1"');
    await client.close();
    expect(await s.stop()).toBe(5);
    expect(s.stderr()).toBe(
      'fake-qemu: replay: connection 1, request 2 (block-commit) differs from the recording:\n  arguments.device: recorded "drive0", sent "drive1"\nqapi-ts: fake-qemu: 1 problem(s), listed above\n',
    );
  });

  it('reports a program that stopped early, and exits 5', async () => {
    const file = await recordSession();
    const socket = join(dir, 'replay.sock');
    const s = await serve(['fake-qemu', '--replay', file, '--listen', socket]);
    await (await QmpClient.connect({ path: socket })).close();
    expect(await s.stop()).toBe(5);
    expect(s.stderr()).toMatch(/^fake-qemu: replay: connection 1: the program sent 1 of the 2 recorded requests \(1 left\); the next would have been \{"execute":"block-commit"/);
  });
});

describe('usage errors (exit 2, nothing served)', () => {
  it.each<[string, (d: string) => string[], string | RegExp]>([
    ['no place to listen', () => ['fake-qemu', DEFAULT_SCHEMA], 'qapi-ts: fake-qemu needs one of --listen SOCKET_PATH or --port N\n'],
    ['two places to listen', (d) => ['fake-qemu', DEFAULT_SCHEMA, '--listen', join(d, 's'), '--port', '0'], 'qapi-ts: fake-qemu needs one of --listen SOCKET_PATH or --port N\n'],
    ['a port that is none', () => ['fake-qemu', DEFAULT_SCHEMA, '--port', 'x1'], "qapi-ts: --port must be a TCP port number (0 to 65535), not 'x1'\n"],
    ['no schema at all', (d) => ['fake-qemu', '--listen', join(d, 's')], 'qapi-ts: fake-qemu needs a SCHEMA, --introspection FILE or --replay FILE\n'],
    ['a schema that does not exist', (d) => ['fake-qemu', join(d, 'none.json'), '--listen', join(d, 's')], /^qapi-ts: schema file '.*none\.json' does not exist\n$/],
    ['--replay with a schema', (d) => ['fake-qemu', DEFAULT_SCHEMA, '--replay', join(d, 'r.jsonl'), '--listen', join(d, 's')], 'qapi-ts: fake-qemu --replay serves the recording alone: give no schema, --introspection or --handlers\n'],
    ['a recording that cannot be read', (d) => ['fake-qemu', '--replay', join(d, 'none.jsonl'), '--listen', join(d, 's')], /^qapi-ts: recording file '.*none\.jsonl' does not exist\n$/],
    ['a malformed recording', (d) => ['fake-qemu', '--replay', join(d, 'bad.jsonl'), '--listen', join(d, 's')], /^qapi-ts: .*bad\.jsonl:2: not JSON/],
    ['a listen path that is a file', (d) => ['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--listen', join(d, 'bad.jsonl')], /^qapi-ts: '.*bad\.jsonl' exists and is not a socket; refusing to replace it\n$/],
    ['a handlers module without a default export', (d) => ['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--handlers', join(d, 'empty.mjs'), '--listen', join(d, 's')], /^qapi-ts: handlers module '.*empty\.mjs' has no default export function \(peer\) => \.\.\.\n$/],
    ['a listen folder that does not exist', (d) => ['fake-qemu', DEFAULT_SCHEMA, '--legacy', '--listen', join(d, 'no', 'such', 's')], /^qapi-ts: cannot listen on .*\/no\/such\/s: listen E[A-Z]+: /],
    ['record without its output', (d) => ['record', '--socket', join(d, 'q'), '--listen', join(d, 's')], /required option '-o, --output <file>' not specified/],
    ['record to a file that cannot be written', (d) => ['record', '--socket', join(d, 'q'), '--listen', join(d, 's'), '-o', join(d, 'no', 'x.jsonl')], /^qapi-ts: cannot write the recording '.*x\.jsonl': ENOENT/],
  ])('%s', async (_what, args, message) => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"qmp-recording":1}\nnot json\n');
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;\n');
    const r = await runInProcess(args(dir));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });
});
