/**
 * The three --int64 modes at run time: replies and events are read as the
 * bindings type their 64-bit integers, arguments are checked to match and
 * written exactly, with 2^53 + 1, 2^63 - 1, -2^63 and 2^64 - 1 on the wire.
 * The bindings here are the tables of a small schema (what generated code
 * passes to its registry); QEMU's own replies are in test/e2e/int64.qemu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import {
  CommandRunner,
  QapiValidationError,
  QmpClient,
  QmpInexactIntegerError,
  QmpProtocolError,
  TypeRegistry,
  type Int64Mode,
  type QmpEvent,
} from '../../runtime/index.js';
import { loadMemory } from '../helpers/memory-schema.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

const SCHEMA = `
{ 'alternate': 'CountOrFlag', 'data': { 'count': 'uint64', 'flag': 'bool' } }
{ 'struct': 'Counts',
  'data': { 'i': 'int', 'i64': 'int64', 'u64': 'uint64', 'sz': 'size', 'ratio': 'number', 'i32': 'int32',
            '*list': [ 'size' ], '*alt': 'CountOrFlag', '*anything': 'any' } }
{ 'command': 'get-counts', 'returns': 'Counts' }
{ 'command': 'set-counts', 'data': 'Counts', 'boxed': true }
{ 'event': 'COUNTED', 'data': 'Counts', 'boxed': true }
`;

const P53 = 2n ** 53n + 1n;
const MAX63 = 2n ** 63n - 1n;
const MIN63 = -(2n ** 63n);
const MAX64 = 2n ** 64n - 1n;

/** The counts as QEMU would write them: literal digits on the wire. */
const WIRE_COUNTS = `{"i": ${P53}, "i64": ${MIN63}, "u64": ${MAX64}, "sz": ${MAX63}, "ratio": ${P53}, "i32": 7, "list": [1, ${MAX64}], "alt": ${MAX63}, "anything": ${P53}}`;
const SMALL_COUNTS = '{"i": 1, "i64": -2, "u64": 3, "sz": 4, "ratio": 0.5, "i32": 7, "list": [5], "alt": 6}';

function registry(mode: Int64Mode): TypeRegistry {
  const loaded = loadMemory({ 'main.json': SCHEMA }, { qemuVersion: '7.2' });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { types, commands, events } = buildTables(loaded.loaded.model);
  return new TypeRegistry([types], [commands], { int64: mode, events: [events] });
}

let server: MockServer | undefined;
let client: QmpClient | undefined;
closeAfterEach(() => [client, server]);

/** A client with the bindings of `mode`; get-counts answers `reply`'s text. */
async function connect(mode: Int64Mode, reply: string, onProtocolError?: (e: QmpProtocolError) => void) {
  const bindings = registry(mode);
  server = await startMockServer({
    onCommand: (command, conn) => {
      if (command.name !== 'get-counts') return false;
      conn.sendRaw(`{"return": ${reply}, "id": ${JSON.stringify(command.id)}}\r\n`);
      return true;
    },
  });
  client = await QmpClient.connect({ path: server.path }, { bindings, ...(onProtocolError ? { onProtocolError } : {}) });
  return { runner: new CommandRunner(client, bindings), client };
}

/** The next COUNTED event the client delivers, after the server sends `data`'s text. */
async function counted(c: QmpClient, data: string): Promise<QmpEvent> {
  const next = c.waitFor('COUNTED', undefined, { since: 'now', timeout: 5000 });
  server!.connections[0]!.sendRaw(`{"event": "COUNTED", "data": ${data}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n`);
  return next;
}

describe.each<{ mode: Int64Mode; wide: Record<string, unknown>; small: Record<string, unknown> }>([
  {
    mode: 'bigint',
    wide: { i: P53, i64: MIN63, u64: MAX64, sz: MAX63, ratio: Number(P53), i32: 7, list: [1n, MAX64], alt: MAX63, anything: P53 },
    small: { i: 1n, i64: -2n, u64: 3n, sz: 4n, ratio: 0.5, i32: 7, list: [5n], alt: 6n },
  },
  {
    mode: 'mixed',
    wide: { i: P53, i64: MIN63, u64: MAX64, sz: MAX63, ratio: Number(P53), i32: 7, list: [1, MAX64], alt: MAX63, anything: P53 },
    small: { i: 1, i64: -2, u64: 3, sz: 4, ratio: 0.5, i32: 7, list: [5], alt: 6 },
  },
])('--int64 $mode: replies and events', ({ mode, wide, small }) => {
  it('reads 2^53 + 1, 2^63 - 1, -2^63 and 2^64 - 1 exactly, a double as a number, `any` as parsed', async () => {
    const { runner } = await connect(mode, WIRE_COUNTS);
    expect(await runner.execute('get-counts')).toStrictEqual(wide);
  });

  it('reads values within 2^53 as the mode says', async () => {
    const { runner } = await connect(mode, SMALL_COUNTS);
    expect(await runner.execute('get-counts')).toStrictEqual(small);
  });

  it('reads event data alike, for a client connected with the bindings', async () => {
    const { client: c } = await connect(mode, SMALL_COUNTS);
    expect((await counted(c, WIRE_COUNTS)).data).toStrictEqual(wide);
    expect((await counted(c, SMALL_COUNTS)).data).toStrictEqual(small);
  });
});

describe('--int64 number: replies and events', () => {
  it('reads values within 2^53 as numbers', async () => {
    const { runner } = await connect('number', SMALL_COUNTS);
    expect(await runner.execute('get-counts')).toStrictEqual({ i: 1, i64: -2, u64: 3, sz: 4, ratio: 0.5, i32: 7, list: [5], alt: 6 });
  });

  it.each([
    ['i', `${P53}`, 'return.i'],
    ['i64', `${MIN63}`, 'return.i64'],
    ['u64', `${MAX64}`, 'return.u64'],
    ['sz', `${MAX63}`, 'return.sz'],
    ['list', `[1, ${MAX64}]`, 'return.list[1]'],
    ['alt', `${MAX63}`, 'return.alt'],
  ])('rejects a reply whose %s is beyond 2^53, with the exact digits', async (member, text, path) => {
    const reply = SMALL_COUNTS.replace(new RegExp(`"${member}": [^,}]+(\\])?`), `"${member}": ${text}`);
    const { runner } = await connect('number', reply);
    const error = await runner.execute('get-counts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpInexactIntegerError);
    expect(error).toBeInstanceOf(QmpProtocolError);
    const digits = text.replace(/^\[1, |\]$/g, '');
    expect(error).toMatchObject({ reason: 'inexact-integer', where: 'get-counts', path, digits });
    expect((error as Error).message).toContain(`get-counts: ${path} is ${digits}, beyond 2^53`);
  });

  it('reads a double beyond 2^53 and an `any` as they are, and rejects nothing for them', async () => {
    const { runner } = await connect(
      'number',
      SMALL_COUNTS.replace('"ratio": 0.5', `"ratio": ${P53}`).replace('"alt": 6', `"alt": 6, "anything": ${MAX64}`),
    );
    expect(await runner.execute('get-counts')).toMatchObject({ ratio: Number(P53), anything: MAX64 });
  });

  it('skips an event it cannot read exactly, reporting it with the digits, and delivers the next', async () => {
    const reported: QmpProtocolError[] = [];
    const { client: c } = await connect('number', SMALL_COUNTS, (e) => reported.push(e));
    const seen: unknown[] = [];
    c.on('COUNTED', (e) => seen.push(e.data));
    const bad = SMALL_COUNTS.replace('"u64": 3', `"u64": ${MAX64}`);
    server!.connections[0]!.sendRaw(`{"event": "COUNTED", "data": ${bad}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n`);
    const next = await counted(c, SMALL_COUNTS);
    expect(next.data).toMatchObject({ i32: 7 });
    expect(seen).toEqual([next.data]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ reason: 'inexact-integer' });
    expect(reported[0]!.cause).toMatchObject({ where: 'COUNTED', path: 'data.u64', digits: `${MAX64}` });
  });
});

describe('the mode a registry is given', () => {
  it('defaults to mixed, and must be one of the three', () => {
    expect(new TypeRegistry([], []).int64).toBe('mixed');
    expect(() => new TypeRegistry([], [], { int64: 'huge' as Int64Mode })).toThrow(
      new TypeError('TypeRegistry: int64 must be one of mixed, bigint, number, not huge'),
    );
  });
});

describe('arguments by mode: checked, then written exactly', () => {
  const exact = { i: P53, i64: MIN63, u64: MAX64, sz: MAX63, ratio: 0.5, i32: 7, list: [MAX64], alt: MAX63 };

  it.each<Int64Mode>(['bigint', 'mixed'])('%s: sends 2^53 + 1, -2^63, 2^64 - 1 and 2^63 - 1 digit for digit', async (mode) => {
    const { runner } = await connect(mode, SMALL_COUNTS);
    const sent = server!.nextCommandNamed('set-counts');
    await runner.execute('set-counts', exact);
    const raw = (await sent).raw;
    expect(raw).toContain(`"i":${P53},"i64":${MIN63},"u64":${MAX64},"sz":${MAX63}`);
    expect(raw).toContain(`"list":[${MAX64}],"alt":${MAX63}`);
  });

  it.each<[Int64Mode, Record<string, unknown>, string[]]>([
    ['bigint', { ...exact, i: 5 }, ['arguments.i: expected a bigint (these bindings hold 64-bit integers as bigint), got 5']],
    ['bigint', { ...exact, u64: 2n ** 64n }, [`arguments.u64: expected an integer in uint64 range 0..${MAX64}, got ${2n ** 64n}`]],
    ['bigint', { ...exact, i32: 7n }, []],
    [
      'number',
      { ...exact },
      [
        `arguments.i: expected a number (these bindings hold 64-bit integers as numbers), got ${P53}n`,
        `arguments.i64: expected a number (these bindings hold 64-bit integers as numbers), got ${MIN63}n`,
        `arguments.u64: expected a number (these bindings hold 64-bit integers as numbers), got ${MAX64}n`,
        `arguments.sz: expected a number (these bindings hold 64-bit integers as numbers), got ${MAX63}n`,
        `arguments.list[0]: expected a number (these bindings hold 64-bit integers as numbers), got ${MAX64}n`,
        `arguments.alt: expected a number (these bindings hold 64-bit integers as numbers), got ${MAX63}n`,
      ],
    ],
    [
      'number',
      { i: 2 ** 53, i64: 1, u64: 1, sz: 1, ratio: 1, i32: 1 },
      [
        'arguments.i: expected a safe integer (beyond 2^53 - 1 a number may not be exact; these bindings hold 64-bit integers as numbers), got 9007199254740992',
      ],
    ],
    ['number', { i: 2 ** 53 - 1, i64: -(2 ** 53 - 1), u64: 0, sz: 1, ratio: 2 ** 60, i32: 1 }, []],
    [
      'mixed',
      { ...exact, i: 5, u64: 2 ** 64 },
      [`arguments.u64: expected an integer in uint64 range 0..${MAX64}, got 18446744073709552000`],
    ],
  ])('%s: %o', (mode, args, problems) => {
    expect(registry(mode).checkArguments('set-counts', args)).toEqual(problems);
  });

  it('rejects before sending: nothing reaches the peer', async () => {
    const { runner } = await connect('number', SMALL_COUNTS);
    await expect(runner.execute('set-counts', exact)).rejects.toBeInstanceOf(QapiValidationError);
    await client!.execute('get-counts');
    expect(server!.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'get-counts']);
  });
});
