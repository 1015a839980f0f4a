/**
 * Issue 18, must show 3, without QEMU: the block-commit session recorded
 * from QEMU 10.0.2 (test/fixtures/recordings, made by
 * test/e2e/record-commit.qemu.test.ts) replays through the peer, and the same
 * program gets the results it got from QEMU; a program with one argument
 * changed fails the replay with a message naming the difference.  And the
 * recorder and the replay themselves: connections matched in order, the
 * program's ids on the replies, the recorded pace kept when asked, a
 * replay left unfinished reported, malformed recordings refused by line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseQmpJson, QmpClient, QmpError, TypeRegistry } from 'qapi-ts-runtime';
import { parseRecording, QmpPeer, QmpRecorder, recordingText, ReplayMismatchError, ReplayPeer } from 'qapi-ts-runtime/testing';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { commitProgram } from './helpers/commit-program.js';
import { RawConversation } from './helpers/raw.js';
import { tinyRegistry } from './helpers/tiny-schema.js';

const Q100 = requireShared('qemu-10.0/qapi/qapi-schema.json', 'replaying with the bindings of QEMU 10.0');
const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'recordings', 'qemu-10.0.2-block-commit');

const open: { close(): Promise<void> }[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  removeTempDir(dir);
  dir = undefined;
});

describe.skipIf(!Q100.available)('the block-commit session recorded from QEMU 10.0.2', () => {
  let bindings: TypeRegistry;
  beforeAll(() => {
    const t = buildTables(loadSchema(Q100.path, { qemuVersion: '10.0' }).model);
    bindings = new TypeRegistry([t.types], [t.commands], { events: [t.events] });
  });
  const recording = () => parseRecording(readFileSync(`${FIXTURE}.jsonl`, 'utf8'), 'qemu-10.0.2-block-commit.jsonl');

  it('replays, and the same program gets the results it got from QEMU', async () => {
    const replay = new ReplayPeer(recording());
    open.push(replay);
    const results = await commitProgram(replay.pair(), bindings);
    replay.assertReplayed();
    expect(results).toEqual(parseQmpJson(readFileSync(`${FIXTURE}.results.json`, 'utf8')));
    expect(results.statuses).toEqual(['created', 'running', 'waiting', 'pending', 'concluded', 'null']);
  });

  it('fails a program that sends another argument, naming the difference', async () => {
    const mismatches: ReplayMismatchError[] = [];
    const replay = new ReplayPeer(recording(), { onError: (e) => mismatches.push(e) });
    open.push(replay);
    const error = await commitProgram(replay.pair(), bindings, 'commit1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    expect((error as QmpError).desc).toMatch(/^replay: connection 1, request 9 \(block-commit\) differs from the recording: arguments\.job-id: recorded "commit0", sent "commit1"$/);
    expect(mismatches.map((m) => [m.connection, m.request, m.differences])).toEqual([[1, 9, [{ path: 'arguments.job-id', recorded: 'commit0', sent: 'commit1' }]]]);
    expect(() => replay.assertReplayed()).toThrow(mismatches[0]!);
  });
});

describe('recording and replaying (a peer standing in for QEMU)', () => {
  /** A session recorded through the proxy in front of a peer: two clients, one after the other. */
  async function recordSession() {
    dir = makeTempDir('qapi-ts-record-');
    const qemu = new QmpPeer({ bindings: tinyRegistry() });
    qemu.handle('set', (args) => ({ total: args.count }));
    qemu.handle('ping', () => 'pong');
    const upstream = await qemu.listen({ path: join(dir, 'qemu.sock') });
    const lines: string[] = [];
    const recorder = new QmpRecorder({ upstream, onLine: (l) => lines.push(l) });
    const target = await recorder.listen({ path: join(dir, 'rec.sock') });
    open.push(qemu, recorder);
    const first = await QmpClient.connect(target);
    expect(await first.execute('set', { count: 2n ** 60n })).toEqual({ total: 2n ** 60n });
    const ticked = first.waitFor('TICK', undefined, { since: 'now' });
    qemu.emit('TICK', { n: 1, color: 'red' });
    await ticked;
    await first.execute('nope').catch(() => {});
    await first.close();
    const second = await QmpClient.connect(target);
    expect(await second.execute('ping')).toBe('pong');
    await second.close();
    await recorder.close();
    return { recording: recorder.recording, lines };
  }

  it('records each message with its time, connection and side, exactly, as the file is written', async () => {
    const { recording, lines } = await recordSession();
    const text = recordingText(recording);
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(parseRecording(text)).toEqual(recording);
    const shown = recording.entries.map((e) => {
      const kind = 'client' in e ? 'client' : 'server' in e ? 'server' : 'closed';
      const m = ('client' in e ? e.client : 'server' in e ? e.server : 'closed' in e ? e.closed : e['client-text']) as Record<string, unknown> | string;
      const what = typeof m === 'string' ? m : (m.execute ?? m.event ?? ('QMP' in m ? 'greeting' : 'return' in m ? 'return' : 'error'));
      return `${e.conn} ${kind} ${String(what)}`;
    });
    expect(shown).toEqual([
      '1 server greeting',
      '1 client qmp_capabilities',
      '1 server return',
      '1 client set',
      '1 server return',
      '1 server TICK',
      '1 client nope',
      '1 server error',
      '1 closed client',
      '2 server greeting',
      '2 client qmp_capabilities',
      '2 server return',
      '2 client ping',
      '2 server return',
      '2 closed client',
    ]);
    expect(text).toContain('"arguments":{"count":1152921504606846976}');
    const times = recording.entries.map((e) => e.ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('replays each connection in turn, with the program’s ids on the replies', async () => {
    const { recording } = await recordSession();
    const replay = new ReplayPeer(recording);
    open.push(replay);
    const first = new RawConversation(replay.pair().stream);
    first.send('{"execute":"qmp_capabilities","id":"a"}\n{"execute":"set","arguments":{"count":1152921504606846976},"id":"b"}\n');
    await first.until((m) => m.some((x) => x.event === 'TICK'));
    first.send('{"execute":"nope"}\n');
    await first.replyCount(3);
    expect(first.messages.map((m) => ('QMP' in m ? 'greeting' : (m.event ?? `${'return' in m ? 'return' : 'error'} ${JSON.stringify(m.id)}`)))).toEqual([
      'greeting',
      'return "a"',
      'return "b"',
      'TICK',
      'error undefined',
    ]);
    expect(first.messages[2]).toEqual({ return: { total: 2n ** 60n }, id: 'b' });
    const second = await QmpClient.connect(replay.pair());
    expect(await second.execute('ping')).toBe('pong');
    await second.close();
    replay.assertReplayed();
  });

  it('reports a replay the program left unfinished, and a connection the recording lacks', async () => {
    const { recording } = await recordSession();
    const errors: ReplayMismatchError[] = [];
    const replay = new ReplayPeer(recording, { onError: (e) => errors.push(e) });
    open.push(replay);
    const client = await QmpClient.connect(replay.pair());
    await client.close();
    expect(() => replay.assertReplayed()).toThrow(/^replay: connection 1: the program sent 1 of the 3 recorded requests \(2 left\); the next would have been \{"execute":"set","arguments":\{"count":1152921504606846976\},"id":2\}$/);
    await (await QmpClient.connect(replay.pair())).close();
    const third = replay.pair().stream;
    await new Promise((resolve) => third.once('close', resolve));
    expect(errors.map((e) => e.message)).toEqual(['replay: connection 3 opened, but the recording has only 2']);
  });

  // QEMU sent the reply, the program asked its next question, and the
  // event (sent later by QEMU) reached the proxy before that question did:
  // the recording holds the event first.  Replayed, the program must still
  // read the reply alone, or it would take the event into account and not
  // ask (as a job follower does not list a job it has seen end).
  it('lets the program react to a reply before it reads the events recorded after it', async () => {
    const recording = parseRecording(
      [
        '{"qmp-recording":1,"recorded":"2026-12-07T00:00:00.000Z","upstream":"qemu.sock"}',
        '{"ms":1,"conn":1,"server":{"QMP":{"version":{"qemu":{"micro":0,"minor":0,"major":10},"package":""},"capabilities":[]}}}',
        '{"ms":2,"conn":1,"client":{"execute":"qmp_capabilities","id":1}}',
        '{"ms":3,"conn":1,"server":{"return":{},"id":1}}',
        '{"ms":4,"conn":1,"client":{"execute":"start","id":2}}',
        '{"ms":5,"conn":1,"server":{"return":{},"id":2}}',
        '{"ms":6,"conn":1,"server":{"event":"DONE","data":{},"timestamp":{"seconds":1,"microseconds":0}}}',
        '{"ms":7,"conn":1,"client":{"execute":"status","id":3}}',
        '{"ms":8,"conn":1,"server":{"return":"done","id":3}}',
      ].join('\n'),
    );
    const replay = new ReplayPeer(recording);
    open.push(replay);
    const client = await QmpClient.connect(replay.pair());
    let done = false;
    client.on('DONE', () => (done = true));
    await client.execute('start');
    const asked = done ? null : await client.execute('status');
    expect(asked).toBe('done');
    await client.close();
    replay.assertReplayed();
  });

  it('keeps the recorded pace when asked', async () => {
    const recording = parseRecording(
      [
        '{"qmp-recording":1}',
        '{"ms":0,"conn":1,"server":{"QMP":{"version":{"qemu":{"major":10,"minor":0,"micro":2},"package":""},"capabilities":[]}}}',
        '{"ms":1,"conn":1,"client":{"execute":"qmp_capabilities","id":1}}',
        '{"ms":2,"conn":1,"server":{"return":{},"id":1}}',
        '{"ms":3,"conn":1,"client":{"execute":"query-version","id":2}}',
        '{"ms":153,"conn":1,"server":{"return":{"qemu":{"major":10,"minor":0,"micro":2},"package":""},"id":2}}',
      ].join('\n'),
    );
    const replay = new ReplayPeer(recording, { timing: 'recorded' });
    open.push(replay);
    const client = await QmpClient.connect(replay.pair());
    open.push(client);
    // The reply went out 150 ms after its request in the recording: a
    // 50 ms timeout expires first.
    await expect(client.execute('query-version', undefined, { timeout: 50 })).rejects.toThrow(/timed out after 50 ms/);
  });

  it.each([
    ['', 'rec:1: empty: expected the header line {"qmp-recording": 1, ...}'],
    ['{"qmp-recording":2}', 'rec:1: expected the header {"qmp-recording": 1, ...}, got {"qmp-recording":2}'],
    ['{"qmp-recording":1}\n{"ms":1,"conn":1}', "rec:2: expected exactly one of 'client', 'server', 'client-text', 'closed'"],
    ['{"qmp-recording":1}\n{"ms":-1,"conn":1,"client":{}}', "rec:2: 'ms' must be a non-negative number"],
    ['{"qmp-recording":1}\n{"ms":1,"conn":0,"client":{}}', "rec:2: 'conn' must be a positive integer"],
    ['{"qmp-recording":1}\n{"ms":1,"conn":1,"closed":"both"}', 'rec:2: \'closed\' must be "client" or "server"'],
    ['{"qmp-recording":1}\n{"ms":1,"conn":1,"client":{},"x":1}', "rec:2: unexpected key 'x'"],
    ['{"qmp-recording":1}\nnot json', /^rec:2: not JSON \(/],
  ])('refuses a malformed recording, naming the line: %j', (text, message) => {
    expect(() => parseRecording(text, 'rec')).toThrow(message);
  });
});
