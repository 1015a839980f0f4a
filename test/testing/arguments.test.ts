/**
 * Arguments judged as QEMU's input visitor judges them, with the bindings'
 * validator: the first problem in QEMU's visiting order becomes QEMU's
 * GenericError in QEMU's words (member names as QEMU writes them:
 * `inner.n`, `colors[1]`), and QEMU's one leniency holds: a negative int64
 * passes where a uint64 is expected.  Valid arguments reach the handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient, QmpError } from 'qapi-ts-runtime';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { tinyRegistry, type TinyCommands, type TinyEvents } from './helpers/tiny-schema.js';

let peer: QmpPeer<TinyCommands, TinyEvents>;
let client: QmpClient;
beforeAll(async () => {
  peer = new QmpPeer({ bindings: tinyRegistry() });
  peer.handle('set', (args) => ({ total: args.count }));
  peer.handle('add-thing', () => {});
  client = await QmpClient.connect(peer.pair());
});
afterAll(async () => {
  await client.close();
  await peer.close();
});

/** What the peer answers: 'accepted', or the error's description. */
async function verdict(command: string, args: Record<string, unknown>): Promise<string> {
  try {
    await client.execute(command, args);
    return 'accepted';
  } catch (e) {
    if (!(e instanceof QmpError)) throw e;
    expect(e.errorClass).toBe('GenericError');
    return e.desc;
  }
}

const U64 = 2n ** 64n;
const I63 = 2n ** 63n;

describe('set (integers, enum, list, nested object, alternate, any)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['the required member alone', { count: 1 }, 'accepted'],
    ['every member', { count: -5, limit: 7, small: 255, signed: -128, ratio: 0.5, flag: true, color: 'red', colors: ['green'], inner: { n: 1, tag: 't' }, ref: 'node0', blob: [1, { a: null }] }, 'accepted'],
    ['the alternate as its object branch', { count: 1, ref: { n: 2 } }, 'accepted'],
    ['the alternate as null', { count: 1, ref: null }, 'accepted'],
    ['an integer where a number is expected', { count: 1, ratio: 3 }, 'accepted'],
    ['int64 extremes', { count: -I63 }, 'accepted'],
    ['uint64 maximum', { count: 0, limit: U64 - 1n }, 'accepted'],
    // QEMU reads a negative int64 as a uint64 (for compatibility).
    ['a negative uint64', { count: 0, limit: -1 }, 'accepted'],
    ['the most negative int64 as a uint64', { count: 0, limit: -I63 }, 'accepted'],
    ['a missing member', {}, "Parameter 'count' is missing"],
    ['an unknown member', { count: 1, extra: 2 }, "Parameter 'extra' is unexpected"],
    ['a string for an integer', { count: '1' }, "Invalid parameter type for 'count', expected: integer"],
    ['a fraction for an integer', { count: 1.5 }, "Invalid parameter type for 'count', expected: integer"],
    ['a string for a boolean', { count: 1, flag: 'yes' }, "Invalid parameter type for 'flag', expected: boolean"],
    ['a number for a string enum', { count: 1, color: 3 }, "Invalid parameter type for 'color', expected: string"],
    ['an unknown enum value', { count: 1, color: 'blue' }, "Parameter 'color' does not accept value 'blue'"],
    ['an unknown value in a list', { count: 1, colors: ['red', 'blue'] }, "Parameter 'null' does not accept value 'blue'"],
    ['an object for a list', { count: 1, colors: {} }, "Invalid parameter type for 'colors', expected: array"],
    ['a missing member of a nested object', { count: 1, inner: {} }, "Parameter 'inner.n' is missing"],
    ['a nested member of the wrong type', { count: 1, inner: { n: 1, tag: 5 } }, "Invalid parameter type for 'inner.tag', expected: string"],
    ['an unknown nested member', { count: 1, inner: { n: 1, x: 1 } }, "Parameter 'inner.x' is unexpected"],
    ['a uint8 above its range', { count: 1, small: 256 }, "Parameter 'small' expects uint8_t"],
    ['a negative uint8', { count: 1, small: -1 }, "Parameter 'small' expects uint8_t"],
    ['an int8 below its range', { count: 1, signed: -129 }, "Parameter 'signed' expects int8_t"],
    ['an int64 beyond its range', { count: I63 }, "Invalid parameter type for 'count', expected: integer"],
    ['a uint64 beyond its range', { count: 1, limit: U64 }, "Parameter 'limit' expects uint64"],
    ['a uint64 below int64', { count: 1, limit: -I63 - 1n }, "Parameter 'limit' expects uint64"],
    ['a uint8 of a nested object out of range', { count: 1, inner: { n: 300 } }, "Parameter 'n' expects uint8_t"],
    ['an alternate of no branch’s kind (named, as QEMU names it)', { count: 1, ref: 5 }, "Invalid parameter type for 'ref', expected: RefOrNull"],
    ['a string for an unsigned integer (read as a uint64 first)', { count: 1, small: 'x' }, "Parameter 'small' expects uint64"],
    ['a fraction for a uint64', { count: 1, limit: 0.5 }, "Parameter 'limit' expects uint64"],
    ['the alternate’s object branch wrong', { count: 1, ref: { n: 'x' } }, "Parameter 'ref.n' expects uint64"],
    ['null for an optional member', { count: 1, flag: null }, "Invalid parameter type for 'flag', expected: boolean"],
    // QEMU visits members in schema order and stops at the first problem.
    ['two problems: the first member’s', { count: 'x', small: 999 }, "Invalid parameter type for 'count', expected: integer"],
    ['a problem and an unknown member: the problem', { count: 1, small: 999, zzz: 1 }, "Parameter 'small' expects uint8_t"],
  ])('%s', async (_what, args, want) => {
    expect(await verdict('set', args)).toBe(want);
  });
});

describe('add-thing (a union: base, tag, branch)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a disk', { kind: 'disk', name: 'd', size: 10 }, 'accepted'],
    ['a net with its optional member', { kind: 'net', name: 'n', mac: 'x', vlan: -3 }, 'accepted'],
    ['a tag value without a branch', { kind: 'none', name: 'z' }, 'accepted'],
    ['a member of another branch', { kind: 'disk', name: 'd', size: 1, mac: 'x' }, "Parameter 'mac' is unexpected"],
    ['the other branch’s members only', { kind: 'disk', name: 'd', mac: 'x' }, "Parameter 'size' is missing"],
    ['an unknown tag value', { kind: 'tape', name: 't' }, "Parameter 'kind' does not accept value 'tape'"],
    ['no tag', { name: 't', size: 1 }, "Parameter 'kind' is missing"],
    ['a base member missing', { kind: 'disk', size: 1 }, "Parameter 'name' is missing"],
    ['a branch member out of range', { kind: 'net', name: 'n', mac: 'x', vlan: 200 }, "Parameter 'vlan' expects int8_t"],
  ])('%s', async (_what, args, want) => {
    expect(await verdict('add-thing', args)).toBe(want);
  });
});

describe('what a handler receives', () => {
  it('gets valid arguments, 64-bit integers read as the bindings hold them', async () => {
    const bigPeer = new QmpPeer({ bindings: tinyRegistry('bigint') });
    const seen: unknown[] = [];
    bigPeer.handle('set', (args) => {
      seen.push(args);
      return { total: 0n };
    });
    const c = await QmpClient.connect(bigPeer.pair());
    await c.execute('set', { count: 5, small: 3, limit: 2n ** 64n - 1n });
    await c.close();
    await bigPeer.close();
    expect(seen).toEqual([{ count: 5n, small: 3, limit: 2n ** 64n - 1n }]);
  });
});
