/**
 * The runtime's side of bindings that span releases, on the tables of a
 * span of test/fixtures/span/ (a small schema as QEMU 8.2 and 10.2 have it):
 * which release a QEMU is taken to be; arguments checked against one
 * release (a member, a value, a case, a command the release lacks, a
 * member it requires, a type it gives otherwise) or against none in
 * particular; calls refused before anything is sent with
 * QmpUnavailableError; replies read by the release's types; supports();
 * and the client choosing the release from the greeting, or as told.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { resolveInput } from '../../generator/input/resolve.js';
import {
  argumentProblems,
  chooseRelease,
  CommandRunner,
  QapiValidationError,
  QmpClient,
  QmpUnavailableError,
  readValue,
  runCommand,
  TypeRegistry,
  type CommandInfo,
  type ExecuteOptions,
  type ReleaseChoice,
  type SpanInfo,
} from '../../runtime/index.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

const SPAN = (
  await resolveInput({
    kind: 'span',
    releases: [
      { release: '8.2', path: join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json') },
      { release: '10.2', path: join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json') },
    ],
  })
).model;
const tables = buildTables(SPAN);
const span: SpanInfo = { releases: ['8.2', '10.2'] };
const registry = new TypeRegistry([tables.types], [tables.commands], { int64: 'bigint', events: [tables.events], span });
const command = (name: string): CommandInfo => tables.commands.find((c) => c.name === name)!;
const OLDER = 0;
const NEWER = 1;

describe('chooseRelease: the newest release of the span not newer than the QEMU', () => {
  const fleet: SpanInfo = { releases: ['7.2', '8.2', '10.0'] };
  it.each([
    { qemu: [7, 2, 22], release: '7.2', fit: 'exact' },
    { qemu: [8, 0, 1], release: '7.2', fit: 'older-release' },
    { qemu: [9, 1, 0], release: '8.2', fit: 'older-release' },
    { qemu: [10, 0, 2], release: '10.0', fit: 'exact' },
    { qemu: [10, 2, 0], release: '10.0', fit: 'newer-than-span' },
    { qemu: [11, 0, 0], release: '10.0', fit: 'newer-than-span' },
    { qemu: [6, 2, 0], release: undefined, fit: 'older-than-span' },
  ])('QEMU $qemu: $release ($fit)', ({ qemu, release, fit }) => {
    const [major, minor, micro] = qemu as [number, number, number];
    const choice = chooseRelease(fleet, { major, minor, micro }, `QEMU ${qemu.join('.')}`);
    expect(choice.release).toBe(release);
    expect(choice.fit).toBe(fit);
    expect(choice.index).toBe(release === undefined ? -1 : fleet.releases.indexOf(release));
    // A note says so whenever the QEMU is not exactly a release of the span.
    if (fit === 'exact') expect(choice.note).toBeUndefined();
    else expect(choice.note).toContain(`QEMU ${qemu.join('.')}`);
  });
});

describe("arguments checked against one release's tables", () => {
  const kinds = (name: string, args: unknown, release: number) =>
    argumentProblems(command(name), args, 'bigint', release).map((p) => `${p.path}: ${p.kind}${p.unavailable ? ` (${p.unavailable.what} ${p.unavailable.name} in ${p.unavailable.releases})` : ''}`);

  it.each([
    { what: 'a member only the newer has, at the older', args: { mode: 'a', path: '/x', force: true }, release: OLDER, want: ['arguments.force: unavailable (member force in 2)'] },
    { what: 'the same at the newer', args: { mode: 'a', force: true }, release: NEWER, want: [] },
    { what: 'the same, no release known', args: { mode: 'a', force: true }, release: -1, want: [] },
    { what: 'a member the older requires, missing at the older', args: { mode: 'a' }, release: OLDER, want: ['arguments.path: missing-member'] },
    { what: 'the same member optional at the newer', args: { mode: 'a' }, release: NEWER, want: [] },
    { what: 'a value only the newer has, at the older', args: { mode: 'c', path: '/x' }, release: OLDER, want: ['arguments.mode: unavailable (value c in 2)'] },
    { what: 'the same value at the newer', args: { mode: 'c' }, release: NEWER, want: [] },
    { what: 'a value no release has', args: { mode: 'z' }, release: NEWER, want: ['arguments.mode: enum'] },
  ])('set-mode: $what', ({ args, release, want }) => {
    expect(kinds('set-mode', args, release)).toEqual(want);
  });

  it("a union's case only the newer has is no case at the older: its members are unknown there", () => {
    expect(kinds('new-only', { shape: { kind: 'c', y: 'v' } }, NEWER)).toEqual([]);
    expect(kinds('new-only', { shape: { kind: 'c', y: 'v' } }, OLDER)).toEqual([
      'arguments.shape.kind: unavailable (value c in 2)',
      'arguments.shape.y: unknown-member',
    ]);
  });

  it("a member typed otherwise by release: each release's type, or any when none is known", () => {
    const info = registry.type('Info')!;
    const row = { name: 'n', kind: 'p', count: 5n, fresh: true };
    expect(registry.problems('Info', row)).toEqual([]);
    // 8.2 types `count` as int32 (a number), 10.2 as int (a bigint here), `kind` as str and Kind.
    const at = (release: number, value: unknown) =>
      argumentProblems({ name: 'x', args: info, returns: null, oob: false, noReply: false, errors: [] }, value, 'bigint', release).map((p) => `${p.path}: ${p.kind}`);
    expect(at(NEWER, row)).toEqual([]);
    expect(at(OLDER, { name: 'n', kind: 'anything', count: 5 })).toEqual([]);
    expect(at(OLDER, { name: 'n', kind: 'anything', count: 2n ** 40n })).toEqual(['arguments.count: range']);
    expect(at(NEWER, { name: 'n', kind: 'p', count: 2n ** 40n, fresh: true })).toEqual([]);
    expect(at(NEWER, { name: 'n', kind: 'p', count: 5, fresh: true })).toEqual(['arguments.count: type']);
    expect(at(NEWER, { name: 'n', kind: 'anything', count: 5n, fresh: true })).toEqual(['arguments.kind: enum']);
    // No release known: what some release accepts.
    expect(at(-1, { name: 'n', kind: 'anything', count: 5 })).toEqual([]);
    expect(at(-1, { name: 'n', kind: 'p', count: 2n ** 40n })).toEqual([]);
  });
});

describe('replies read by the release', () => {
  it("a 64-bit integer in one release's type and not in the other's", () => {
    const returns = command('query-info').returns!;
    const older = readValue(returns, [{ name: 'n', kind: 's', count: 7 }], 'return', 'query-info', 'bigint', OLDER) as { count: unknown }[];
    const newer = readValue(returns, [{ name: 'n', kind: 'p', fresh: true, count: 7 }], 'return', 'query-info', 'bigint', NEWER) as { count: unknown }[];
    expect(older[0]!.count).toBe(7);
    expect(newer[0]!.count).toBe(7n);
  });
});

/** A transport that knows its release and records what it would send. */
class FakeTransport {
  readonly sent: string[] = [];
  constructor(private readonly choice: ReleaseChoice | undefined) {}
  execute(name: string, _args?: Record<string, unknown>, _options?: ExecuteOptions): Promise<unknown> {
    this.sent.push(name);
    return Promise.resolve(name === 'query-info' ? [{ name: 'n', kind: 's', count: 3 }] : {});
  }
  releaseIn(): ReleaseChoice | undefined {
    return this.choice;
  }
}

const at82: ReleaseChoice = { release: '8.2', index: OLDER, qemu: 'QEMU 8.2.4', fit: 'exact', note: undefined };
const at102: ReleaseChoice = { release: '10.2', index: NEWER, qemu: 'QEMU 10.2.0', fit: 'exact', note: undefined };

describe('runCommand refuses what the connected release lacks, and sends nothing', () => {
  it.each([
    {
      what: 'a command the release lacks',
      name: 'new-only',
      args: { shape: { kind: 'a', x: 1n } },
      missing: [{ path: '', what: 'command', name: 'new-only', releases: ['10.2'] }],
    },
    {
      what: 'a member the release lacks',
      name: 'set-mode',
      args: { mode: 'a', path: '/x', force: false },
      missing: [{ path: 'arguments.force', what: 'member', name: 'force', releases: ['10.2'] }],
    },
    {
      what: 'a value the release lacks',
      name: 'set-mode',
      args: { mode: 'c', path: '/x' },
      missing: [{ path: 'arguments.mode', what: 'value', name: 'c', releases: ['10.2'] }],
    },
  ])('$what', async ({ name, args, missing }) => {
    const transport = new FakeTransport(at82);
    const error = await runCommand(transport, command(name), args, {}, 'bigint', span).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpUnavailableError);
    const e = error as QmpUnavailableError;
    expect(e.command).toBe(name);
    expect(e.qemu).toBe('QEMU 8.2.4');
    expect(e.release).toBe('8.2');
    expect(e.missing).toEqual(missing);
    expect(e.message).toContain(`${name}: not sent: QEMU 8.2.4, taken as release 8.2 of these bindings, lacks it:`);
    expect(transport.sent).toEqual([]);
  });

  it('the same calls go out where the release has them; unchecked skips the check', async () => {
    const newer = new FakeTransport(at102);
    await runCommand(newer, command('new-only'), { shape: { kind: 'c', y: 'v' } }, {}, 'bigint', span);
    await runCommand(newer, command('set-mode'), { mode: 'c', force: true }, {}, 'bigint', span);
    const older = new FakeTransport(at82);
    await runCommand(older, command('set-mode'), { mode: 'c', path: '/x' }, { unchecked: true }, 'bigint', span);
    expect(newer.sent).toEqual(['new-only', 'set-mode']);
    expect(older.sent).toEqual(['set-mode']);
  });

  it('a QEMU older than the span is refused every call, saying so', async () => {
    const choice = chooseRelease(span, { major: 7, minor: 2, micro: 0 }, 'QEMU 7.2.0');
    const transport = new FakeTransport(choice);
    const error = (await runCommand(transport, command('query-info'), undefined, {}, 'bigint', span).catch((e: unknown) => e)) as QmpUnavailableError;
    expect(error).toBeInstanceOf(QmpUnavailableError);
    expect(error.missing).toEqual([]);
    expect(error.message).toBe('query-info: not sent: QEMU 7.2.0 is older than every release these bindings span (8.2, 10.2)');
    expect(transport.sent).toEqual([]);
  });

  it('a transport that knows no release checks what some release accepts, and reads by the newest', async () => {
    const transport = new FakeTransport(undefined);
    await runCommand(transport, command('set-mode'), { mode: 'c', force: true }, {}, 'bigint', span);
    await expect(runCommand(transport, command('set-mode'), { mode: 'z' }, {}, 'bigint', span)).rejects.toBeInstanceOf(QapiValidationError);
    expect(transport.sent).toEqual(['set-mode']);
  });
});

describe('supports(): what the connected release has, from the same tables', () => {
  class Commands extends CommandRunner<Record<string, { args: unknown; returns: unknown; oob: boolean }>, string> {}
  it.each([
    { query: ['set-mode'], older: true, newer: true },
    { query: ['new-only'], older: false, newer: true },
    { query: ['old-only'], older: true, newer: false },
    { query: ['set-mode', { member: 'force' }], older: false, newer: true },
    { query: ['set-mode', { member: 'path' }], older: true, newer: true },
    { query: ['set-mode', { member: 'mode', value: 'c' }], older: false, newer: true },
    { query: ['set-mode', { member: 'mode', value: 'a' }], older: true, newer: true },
    { query: ['set-mode', { member: 'mode', value: 'z' }], older: false, newer: false },
    { query: ['set-mode', { member: 'nope' }], older: false, newer: false },
    { query: ['new-only', { member: 'shape' }], older: false, newer: true },
    { query: ['no-such-command'], older: false, newer: false },
  ] as const)('$query: 8.2 $older, 10.2 $newer', ({ query, older, newer }) => {
    const [name, detail] = query as unknown as [string, { member: string; value?: string } | undefined];
    expect(new Commands(new FakeTransport(at82), registry).supports(name, detail as never)).toBe(older);
    expect(new Commands(new FakeTransport(at102), registry).supports(name, detail as never)).toBe(newer);
    expect(new Commands(new FakeTransport(at102), registry).release).toBe('10.2');
  });
});

describe('the client takes the release from the greeting, or as told', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    { version: [10, 2, 1], option: undefined, release: '10.2', fit: 'exact' },
    { version: [9, 1, 0], option: undefined, release: '8.2', fit: 'older-release' },
    { version: [8, 2, 0], option: '10.2', release: '10.2', fit: 'chosen' },
    { version: [7, 2, 0], option: undefined, release: undefined, fit: 'older-than-span' },
  ])('QEMU $version, release option $option: $release', async ({ version, option, release, fit }) => {
    const [major, minor, micro] = version as [number, number, number];
    server = await startMockServer({ version: { qemu: { major, minor, micro }, package: '' } });
    const client = await QmpClient.connect({ path: server.path }, { bindings: registry, ...(option ? { release: option } : {}) });
    expect(client.release).toBe(release);
    expect(client.releaseIn(span)?.fit).toBe(fit);
    await client.close();
  });

  it("a command the release lacks is refused by the client too, sent raw: nothing on the wire", async () => {
    server = await startMockServer({ version: { qemu: { major: 8, minor: 2, micro: 0 }, package: '' } });
    const client = await QmpClient.connect({ path: server.path }, { bindings: registry });
    const error = await client.execute('new-only', { shape: { kind: 'a', x: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpUnavailableError);
    expect((error as QmpUnavailableError).missing).toEqual([{ path: '', what: 'command', name: 'new-only', releases: ['10.2'] }]);
    await client.execute('old-only');
    await client.execute('new-only', undefined, { unchecked: true });
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'old-only', 'new-only']);
    await client.close();
  });

  it('after a reconnection to another QEMU, the release is found again from its greeting', async () => {
    const dir = makeTempDir('qapi-ts-span-reconnect-');
    onTestFinished(() => removeTempDir(dir));
    const first = await startMockServer({ version: { qemu: { major: 8, minor: 2, micro: 0 }, package: '' }, path: join(dir, 'qmp.sock') });
    const client = await QmpClient.connect({ path: first.path }, { bindings: registry, reconnect: { initialDelay: 1, maxDelay: 5 } });
    expect(client.release).toBe('8.2');
    await expect(client.execute('new-only')).rejects.toBeInstanceOf(QmpUnavailableError);
    const reconnected = new Promise<void>((resolve) => client.onReconnect((e) => e.kind === 'reconnected' && resolve()));
    await first.close();
    server = await startMockServer({ version: { qemu: { major: 10, minor: 2, micro: 0 }, package: '' }, path: first.path });
    await reconnected;
    expect(client.release).toBe('10.2');
    await client.execute('new-only', { shape: { kind: 'c', y: 'v' } });
    await expect(client.execute('old-only')).rejects.toBeInstanceOf(QmpUnavailableError);
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'new-only']);
    await client.close();
  });

  it('a release the bindings do not span is refused when connecting', async () => {
    server = await startMockServer();
    await expect(QmpClient.connect({ path: server.path }, { bindings: registry, release: '9.0' })).rejects.toThrow(
      "connect: release 9.0 is not one of the bindings' (8.2, 10.2)",
    );
  });

  it.each([
    { minor: 2, want: 7n },
    { minor: 1, want: 7 },
  ])('an event read by the release (QEMU 10.$minor): TICK.n is $want', async ({ minor, want }) => {
    server = await startMockServer({ version: { qemu: { major: 10, minor, micro: 0 }, package: '' } });
    const accepted = server.nextConnection();
    const client = await QmpClient.connect({ path: server.path }, { bindings: registry });
    const connection = await accepted;
    const tick = client.waitFor('TICK', undefined, { since: 'now', timeout: 5_000 });
    connection.event('TICK', { n: 7 });
    expect((await tick).data).toEqual({ n: want });
    await client.close();
  });
});
