/**
 * The peer speaks QMP as QEMU's monitor does: the greeting, capabilities
 * negotiation, each request checked in the order of QEMU's dispatcher
 * (the input's own members, the command, out-of-band permission, the
 * arguments), ids of any JSON type echoed, in-band requests answered in
 * order and out-of-band ones at once, events held back until negotiation.
 * (test/e2e/fidelity.qemu.test.ts sends the same kind of input to QEMU 10.0.2.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { RawConversation, type Message } from './helpers/raw.js';
import { tinyRegistry, type TinyCommands, type TinyEvents } from './helpers/tiny-schema.js';

const NEGOTIATE = '{"execute":"qmp_capabilities","id":"caps"}\n';

/** What a reply is, short: `return` or its error class, with its id when it has one. */
function summary(m: Message): string {
  const what = 'return' in m ? 'return' : (m.error as { class: string }).class;
  return Object.hasOwn(m, 'id') ? `${what} id=${JSON.stringify(m.id)}` : what;
}

let peer: QmpPeer<TinyCommands, TinyEvents> | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function converse(input: string, replies: number, options: { oob?: boolean } = {}): Promise<{ messages: Message[]; replies: Message[] }> {
  peer = new QmpPeer({ bindings: tinyRegistry() });
  peer.handle('ping', () => 'pong');
  peer.handle('set', (args) => ({ total: args.count }));
  peer.handle('fire', () => {});
  const talk = new RawConversation(peer.pair().stream);
  talk.send(options.oob ? '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":"caps"}\n' : NEGOTIATE);
  // Negotiated first: an exec-oob request would overtake it.
  await talk.replyCount(1);
  talk.send(input);
  const all = await talk.replyCount(replies + 1);
  return { messages: talk.messages, replies: all.slice(1) };
}

describe('the greeting and negotiation', () => {
  it('greets with the version and the capabilities offered, and takes only qmp_capabilities before negotiation', async () => {
    peer = new QmpPeer({ bindings: tinyRegistry(), greeting: { version: { qemu: { major: 9, minor: 2, micro: 1 }, package: 'test' }, capabilities: ['oob'] } });
    const talk = new RawConversation(peer.pair().stream);
    talk.send('{"execute":"quit","id":1}\n{"execute":"nope","id":2}\n{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":3}\n{"execute":"qmp_capabilities","id":4}\n');
    const replies = await talk.replyCount(4);
    expect(talk.messages[0]).toEqual({ QMP: { version: { qemu: { major: 9, minor: 2, micro: 1 }, package: 'test' }, capabilities: ['oob'] } });
    expect(replies.map(summary)).toEqual(['CommandNotFound id=1', 'CommandNotFound id=2', 'return id=3', 'CommandNotFound id=4']);
    expect(replies[0]).toMatchObject({ error: { desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } });
    expect(replies[3]).toMatchObject({ error: { desc: 'Capabilities negotiation is already complete, command ignored' } });
  });

  it.each([
    ['a capability not offered', { capabilities: [] }, '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":1}', 'GenericError', 'Capability oob not available'],
    ['an unknown capability', { capabilities: ['oob'] }, '{"execute":"qmp_capabilities","arguments":{"enable":["x"]},"id":1}', 'GenericError', "Parameter 'null' does not accept value 'x'"],
  ])('refuses %s', async (_what, greeting, line, errorClass, desc) => {
    peer = new QmpPeer({ bindings: tinyRegistry(), greeting });
    const talk = new RawConversation(peer.pair().stream);
    talk.send(`${line}\n{"execute":"quit","id":2}\n`);
    const replies = await talk.replyCount(2);
    expect(replies[0]).toEqual({ error: { class: errorClass, desc }, id: 1 });
    // Still negotiating: the next command is refused as before.
    expect(summary(replies[1]!)).toBe('CommandNotFound id=2');
  });

  it('sends no event before negotiation, and every event after it', async () => {
    peer = new QmpPeer({ bindings: tinyRegistry() });
    const talk = new RawConversation(peer.pair().stream);
    await talk.until((m) => m.length === 1);
    peer.emit('TICK', { n: 1, color: 'red' });
    talk.send(NEGOTIATE);
    await talk.replyCount(1);
    peer.emit('TICK', { n: 2, color: 'green' });
    peer.emit('STOP');
    await talk.until((m) => m.length === 4);
    expect(talk.messages.slice(1).map((m) => m.event ?? summary(m))).toEqual(['return id="caps"', 'TICK', 'STOP']);
    expect(talk.messages[2]).toMatchObject({ event: 'TICK', data: { n: 2, color: 'green' }, timestamp: { seconds: expect.any(Number), microseconds: expect.any(Number) } });
    expect(Object.hasOwn(talk.messages[3]!, 'data')).toBe(false);
  });
});

describe('requests, checked in the order of QEMU’s dispatcher', () => {
  it.each([
    // given, want (class, id), description
    ['an array', '[1, 2]', 'GenericError', undefined, 'QMP input must be a JSON object'],
    ['a string', '"hello"', 'GenericError', undefined, 'QMP input must be a JSON object'],
    ['no execute', '{"id": 7}', 'GenericError', 7, "QMP input lacks member 'execute'"],
    ['execute not a string', '{"execute": 1, "id": 7}', 'GenericError', 7, "QMP input member 'execute' must be a string"],
    ['arguments not an object', '{"execute": "quit", "arguments": [], "id": 7}', 'GenericError', 7, "QMP input member 'arguments' must be an object"],
    ['an unknown member', '{"execute": "quit", "tag": 1, "id": 7}', 'GenericError', 7, "QMP input member 'tag' is unexpected"],
    ['exec-oob without the capability', '{"exec-oob": "ping", "id": 7}', 'GenericError', 7, "QMP input member 'exec-oob' is unexpected"],
    ['an unknown command', '{"execute": "nope", "id": 7}', 'CommandNotFound', 7, 'The command nope has not been found'],
    ['arguments to a command taking none', '{"execute": "quit", "arguments": {"now": true}, "id": 7}', 'GenericError', 7, "Parameter 'now' is unexpected"],
    ['a JSON syntax error', '{"execute": }', 'GenericError', undefined, expect.stringMatching(/^JSON parse error, /)],
    ['a stray control character', '{"execute": \u0001}', 'GenericError', undefined, 'JSON parse error, stray control character 0x01'],
  ])('%s: %s', async (_what, line, errorClass, id, desc) => {
    const { replies } = await converse(`${line}\n`, 1);
    expect(replies[0]).toEqual(id === undefined ? { error: { class: errorClass, desc } } : { error: { class: errorClass, desc }, id });
  });

  it.each([
    ['a number', 42],
    ['a string', 'x-1'],
    ['null', null],
    ['an object', { a: [1, { b: 'c' }] }],
    ['an array', [1, 'two']],
    ['a 64-bit integer', 2n ** 63n + 5n],
  ])('echoes an id that is %s', async (_what, id) => {
    const text = typeof id === 'bigint' ? id.toString() : JSON.stringify(id);
    const { replies } = await converse(`{"execute": "ping", "id": ${text}}\n`, 1);
    expect(replies[0]).toEqual({ return: 'pong', id });
  });

  it('answers without id a request that has none', async () => {
    const { replies } = await converse('{"execute": "ping"}\n', 1);
    expect(replies[0]).toEqual({ return: 'pong' });
  });

  it('reads messages as QEMU does, not by lines: two on a line, one over three lines', async () => {
    const { replies } = await converse('{"execute":"ping","id":1}{"execute":"ping","id":2}\n{"execute":\n"ping",\n"id":3}\n', 3);
    expect(replies.map(summary)).toEqual(['return id=1', 'return id=2', 'return id=3']);
  });

  it('answers in-band requests in order, and runs exec-oob ones at once', async () => {
    peer = new QmpPeer({ bindings: tinyRegistry() });
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    peer.handle('set', async (args) => {
      await slow;
      return { total: args.count };
    });
    peer.handle('ping', (args) => args.word ?? 'pong');
    const talk = new RawConversation(peer.pair().stream);
    talk.send('{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":0}\n');
    talk.send('{"execute":"set","arguments":{"count":1},"id":1}\n{"execute":"ping","id":2}\n{"exec-oob":"ping","arguments":{"word":"fast"},"id":3}\n');
    await talk.replyCount(2);
    release();
    const replies = await talk.replyCount(4);
    expect(replies.map(summary)).toEqual(['return id=0', 'return id=3', 'return id=1', 'return id=2']);
    expect(replies[1]).toEqual({ return: 'fast', id: 3 });
  });

  it.each([
    ['a command that does not allow it', '{"exec-oob":"quit","id":1}', { error: { class: 'GenericError', desc: 'The command quit does not support OOB' }, id: 1 }],
    ['both execute and exec-oob', '{"execute":"ping","exec-oob":"ping","id":1}', { error: { class: 'GenericError', desc: "QMP input member 'exec-oob' clashes with 'execute'" }, id: 1 }],
  ])('with oob on, refuses exec-oob of %s', async (_what, line, want) => {
    const { replies } = await converse(`${line}\n`, 1, { oob: true });
    expect(replies[0]).toEqual(want);
  });

  it('sends no reply to a command without one, but does to its errors', async () => {
    const { replies, messages } = await converse('{"execute":"fire","id":1}\n{"execute":"fire","arguments":{"x":1},"id":2}\n{"execute":"ping","id":3}\n', 2);
    expect(replies.map(summary)).toEqual(['GenericError id=2', 'return id=3']);
    expect(messages.some((m) => m.id === 1)).toBe(false);
  });

  it('records what each client sent', async () => {
    await converse('{"execute":"set","arguments":{"count":3},"id":1}\n{"execute":"nope","id":2}\n', 2);
    expect(peer!.calls.map((c) => [c.connection, c.command, c.arguments, c.id, c.answer])).toEqual([
      [1, 'qmp_capabilities', undefined, 'caps', { return: {} }],
      [1, 'set', { count: 3 }, 1, { return: { total: 3 } }],
      [1, 'nope', undefined, 2, { error: { class: 'CommandNotFound', desc: 'The command nope has not been found' } }],
    ]);
    expect(peer!.callsOf('set')).toEqual([{ count: 3 }]);
    expect(peer!.received.map((r) => r.message)).toHaveLength(3);
  });
});
