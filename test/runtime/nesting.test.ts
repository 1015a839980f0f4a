/**
 * Values nested without bound: a peer sending an event or a reply nested
 * thousands of levels deep (a recursive struct, QAPI allows them), and a
 * program checking a value that deep, or one that holds itself.  Every
 * reader stays within the call stack: a message nested deeper than
 * MAX_NESTING (1024, as QEMU's own parser) is a protocol problem (an
 * event, reported and skipped) or a typed rejection (a reply), and the
 * validators report such a value as a problem; nothing throws a
 * RangeError or runs forever.
 */
import { describe, expect, it } from 'vitest';
import {
  linkNamedTables,
  MAX_NESTING,
  parseQmpJson,
  QmpClient,
  QmpProtocolError,
  runCommand,
  TypeRegistry,
  type QmpEvent,
} from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

/** `{ 'struct': 'Node', 'data': { 'val': 'int', '*child': 'Node' } }`, a Tree of Trees, an event and a command carrying them. */
function registry(): TypeRegistry {
  const linked = linkNamedTables({
    types: [
      ['Node', { kind: 'object', members: [['val', 'int'], ['child', 'Node', true]] }],
      ['TreeList', { kind: 'array', element: 'Tree' }],
      ['Tree', { kind: 'object', members: [['kids', 'TreeList']] }],
      ['DeepData', { kind: 'object', members: [['n', 'Node']] }],
    ],
    commands: [['deep', { args: null, returns: 'Node', oob: false, noReply: false }]],
    events: [['DEEP', 'DeepData']],
  });
  // bigint, as generated bindings are by default: every `val` is read.
  return new TypeRegistry([linked.types], [linked.commands], { int64: 'bigint', events: [linked.events] });
}

/** A Node `depth` levels deep, as JSON text. */
function nodeText(depth: number): string {
  return `${'{"val":1,"child":'.repeat(depth - 1)}{"val":1}${'}'.repeat(depth - 1)}`;
}

/** A Node `depth` levels deep, as a value. */
function nodeValue(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { val: 1n };
  for (let level = 1; level < depth; level++) node = { val: 1n, child: node };
  return node;
}

const held: { client?: QmpClient; server?: MockServer } = {};
closeAfterEach(() => [held.client, held.server]);

/** A peer that answers `deep` with a Node `replyDepth` levels deep; the test sends events through `held.server`. */
async function connect(replyDepth = 2): Promise<{ client: QmpClient; reported: QmpProtocolError[] }> {
  held.server = await startMockServer({
    onCommand: (command, conn) => {
      if (command.name !== 'deep') return false;
      conn.sendRaw(`{"return":${nodeText(replyDepth)},"id":${String(command.id)}}\n`);
      return true;
    },
  });
  const reported: QmpProtocolError[] = [];
  held.client = await QmpClient.connect({ path: held.server.path }, { bindings: registry(), onProtocolError: (e) => reported.push(e) });
  return { client: held.client, reported };
}

function sendDeepEvent(depth: number): void {
  held.server!.connections[0]!.sendRaw(`{"event":"DEEP","data":{"n":${nodeText(depth)}},"timestamp":{"seconds":1,"microseconds":2}}\n`);
}

describe('a deeply nested message from the peer', () => {
  it('an event 2500 levels deep, read with the bindings, is reported and skipped; the next event arrives, read', async () => {
    const { client, reported } = await connect();
    const events: QmpEvent[] = [];
    client.on('*', (e) => events.push(e));
    const next = client.waitFor('DEEP', undefined, { since: 'now' });
    sendDeepEvent(2500);
    sendDeepEvent(3);
    const event = await next;
    expect(reported.map((e) => [e.reason, e.message])).toEqual([
      ['too-deep', `nested deeper than ${MAX_NESTING} levels of objects and arrays: message skipped`],
    ]);
    expect(events).toEqual([event]);
    expect(event.data).toEqual({ n: { val: 1n, child: { val: 1n, child: { val: 1n } } } });
    await expect(client.execute('ping')).resolves.toEqual({});
  });

  it('an event as deep as the bound allows arrives, every level read as the bindings type it', async () => {
    const { client, reported } = await connect();
    const next = client.waitFor('DEEP', undefined, { since: 'now' });
    // The message and its data are two levels of the 1024.
    sendDeepEvent(MAX_NESTING - 2);
    const node = (await next).data as { n: Record<string, unknown> };
    let levels = 0;
    for (let at: Record<string, unknown> | undefined = node.n; at !== undefined; at = at.child as Record<string, unknown> | undefined) {
      expect(at.val).toBe(1n);
      levels += 1;
    }
    expect(levels).toBe(MAX_NESTING - 2);
    expect(reported).toEqual([]);
  });

  it('a reply 2500 levels deep rejects its command with QmpProtocolError (too-deep), through the bindings too; the connection goes on', async () => {
    const { client, reported } = await connect(2500);
    const raw = await client.execute('deep').catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(QmpProtocolError);
    expect(raw).toMatchObject({ reason: 'too-deep' });
    const command = registry().command('deep')!;
    const typed = await runCommand(client, command, undefined, {}, 'bigint').catch((e: unknown) => e);
    expect(typed).toBeInstanceOf(QmpProtocolError);
    expect(typed).toMatchObject({ reason: 'too-deep' });
    expect(reported.map((e) => e.reason)).toEqual(['too-deep', 'too-deep']);
    await expect(client.execute('ping')).resolves.toEqual({});
  });
});

describe('checking and reading a value a program made', () => {
  it.each([
    ['3000 levels deep', () => nodeValue(3000), 'nested deeper than 1024 levels'],
    [
      'holding itself',
      () => {
        const node: Record<string, unknown> = { val: 1n };
        node.child = node;
        return node;
      },
      'holds itself (a cycle)',
    ],
  ])('registry.check of a Node %s returns the problem rather than throwing', (_, make, message) => {
    const problems = registry().problems('Node', make());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'nesting', message });
    expect(problems[0]!.path).toMatch(/^value(\.child)+$/);
  });

  it('a Tree whose kids are itself, twice: two problems, at once (not two to the power of the depth walks)', () => {
    const tree: { kids: unknown[] } = { kids: [] };
    tree.kids.push(tree, tree);
    expect(registry().check('Tree', tree)).toEqual(['value.kids[0]: holds itself (a cycle)', 'value.kids[1]: holds itself (a cycle)']);
  });

  it('a value shared twice but holding no cycle is checked as usual', () => {
    const leaf = { kids: [] };
    expect(registry().check('Tree', { kids: [leaf, leaf, { kids: [leaf] }] })).toEqual([]);
  });

  it('registry.read of a value holding itself, or too deep, throws QmpProtocolError (too-deep) naming where', () => {
    const node: Record<string, unknown> = { val: 1 };
    node.child = { val: 2, child: node };
    const type = registry().type('Node')!;
    expect(() => registry().read(type, node, 'return', 'deep')).toThrow(new QmpProtocolError('too-deep', 'deep: return.child.child: holds itself (a cycle)'));
    expect(() => registry().read(type, nodeValue(3000), 'return', 'deep')).toThrow(/^deep: return(\.child){1024}: nested deeper than 1024 levels$/);
  });
});

describe('parseQmpJson and nesting', () => {
  const nested = (depth: number, leaf = '1'): string => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;

  it.each([
    ['1024 levels', nested(1024), true],
    ['1025 levels', nested(1025), false],
    ['brackets inside strings, which do not nest', `[${JSON.stringify('['.repeat(5000) + '\\"{'.repeat(100))}]`, true],
    ['1025 levels holding an integer beyond 2^53 (the lossless parser)', nested(1025, '18446744073709551615'), false],
    ['20000 levels holding an integer beyond 2^53', nested(20_000, '18446744073709551615'), false],
  ])('%s: parsed or refused with JsonNestingError, never a RangeError', (_, text, parses) => {
    if (parses) {
      expect(() => parseQmpJson(text)).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      parseQmpJson(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).name).toBe('JsonNestingError');
  });
});
