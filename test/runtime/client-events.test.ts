import { describe, expect, expectTypeOf, it } from 'vitest';
import { QmpClient, QmpTimeoutError, TypeRegistry, type QmpEvent } from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockConnection, type MockServer } from './helpers/mock-qmp-server.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;

closeAfterEach(() => [client, server]);

/**
 * A server where command `emit` sends the events listed in its `names`
 * argument before replying, i.e. "events emitted while the command ran".
 */
async function connectEmitter(options: Parameters<typeof QmpClient.connect>[1] = {}): Promise<{ client: QmpClient; conn: MockConnection }> {
  server = await startMockServer({
    onCommand(cmd, conn) {
      if (cmd.name !== 'emit') return false;
      const names = (cmd.arguments?.names ?? []) as string[];
      names.forEach((name, i) => conn.event(name, { i }));
      conn.reply(cmd);
      return true;
    },
  });
  client = await QmpClient.connect({ path: server.path }, options);
  return { client, conn: server.connections[0]! };
}

describe('QmpClient event subscriptions', () => {
  it('delivers to named and wildcard handlers, once and off work', async () => {
    const { client: c, conn } = await connectEmitter();
    const named: QmpEvent[] = [];
    const all: string[] = [];
    const onceSeen: string[] = [];
    const removed: string[] = [];
    const removedHandler = (e: QmpEvent) => removed.push(e.event);
    c.on('STOP', (e) => named.push(e));
    c.on('*', (e) => all.push(e.event));
    c.once('*', (e) => onceSeen.push(e.event));
    c.on('STOP', removedHandler);
    c.off('STOP', removedHandler);
    conn.send({ event: 'STOP', timestamp: { seconds: 10, microseconds: 20 } });
    await c.execute('emit', { names: ['RESUME', 'STOP'] });
    expect(named).toHaveLength(2);
    expect(named[0]).toEqual({ event: 'STOP', data: undefined, timestamp: { seconds: 10, microseconds: 20 } });
    expect(named[1]).toEqual({ event: 'STOP', data: { i: 1 }, timestamp: { seconds: 1700000000, microseconds: 42 } });
    expect(all).toEqual(['STOP', 'RESUME', 'STOP']);
    expect(onceSeen).toEqual(['STOP']);
    expect(removed).toEqual([]);
  });

  it('isolates a throwing handler and reports it through onHandlerError', async () => {
    const failures: [unknown, string][] = [];
    const { client: c } = await connectEmitter({ onHandlerError: (err, e) => failures.push([err, e.event]) });
    const seen: string[] = [];
    c.on('A', () => {
      throw new Error('handler bug');
    });
    c.on('A', (e) => seen.push(e.event));
    await c.execute('emit', { names: ['A'] });
    expect(seen).toEqual(['A']);
    expect(failures).toHaveLength(1);
    expect((failures[0]![0] as Error).message).toBe('handler bug');
    expect(failures[0]![1]).toBe('A');
  });

  it('events() yields in order and ends when the connection closes', async () => {
    const { client: c } = await connectEmitter();
    const it1 = c.events();
    await c.execute('emit', { names: ['A', 'B', 'C'] });
    const got: string[] = [];
    const collecting = (async () => {
      for await (const e of it1) got.push(e.event);
    })();
    await c.execute('emit', { names: ['D'] });
    await c.waitFor('D');
    await c.close();
    await collecting;
    expect(got).toEqual(['A', 'B', 'C', 'D']);
  });

  it('events() return() stops delivery to that iterator only', async () => {
    const { client: c } = await connectEmitter();
    const stopped = c.events();
    const live = c.events();
    await stopped.return!();
    await c.execute('emit', { names: ['A'] });
    expect(await live.next()).toMatchObject({ done: false, value: { event: 'A' } });
    expect(await stopped.next()).toEqual({ value: undefined, done: true });
  });
});

/** Options that make waitFor look in the buffer only: an already aborted signal. */
const bufferOnly = () => ({ signal: AbortSignal.abort(new Error('not in the buffer')) });

describe('QmpClient.waitFor buffer semantics', () => {
  it('sees an event emitted while the last command ran, after that command resolved', async () => {
    const { client: c } = await connectEmitter();
    await c.execute('emit', { names: ['JOB_DONE'] });
    const e = await c.waitFor('JOB_DONE');
    expect(e.data).toEqual({ i: 0 });
  });

  it('by default ignores events received before the last command was sent', async () => {
    const { client: c } = await connectEmitter();
    await c.execute('emit', { names: ['OLD'] });
    await c.execute('ping');
    await expect(c.waitFor('OLD', undefined, bufferOnly())).rejects.toThrow('not in the buffer');
    await expect(c.waitFor('OLD', undefined, { since: 0, ...bufferOnly() })).resolves.toMatchObject({ event: 'OLD' });
  });

  it("since: 'now' only accepts new events; a mark reaches further back", async () => {
    const { client: c, conn } = await connectEmitter();
    const mark = c.eventMark();
    await c.execute('emit', { names: ['X', 'Y'] });
    await c.execute('ping');
    const fresh = c.waitFor('X', undefined, { since: 'now' });
    const fromMark = await c.waitFor('X', undefined, { since: mark });
    expect(fromMark.data).toEqual({ i: 0 });
    conn.event('X', { fresh: true });
    expect((await fresh).data).toEqual({ fresh: true });
  });

  it('markOf lets a second waitFor find the next event of the same name', async () => {
    const { client: c } = await connectEmitter();
    await c.execute('emit', { names: ['STEP', 'STEP', 'STEP'] });
    const first = await c.waitFor('STEP');
    const second = await c.waitFor('STEP', undefined, { since: c.markOf(first)! });
    const third = await c.waitFor('STEP', undefined, { since: c.markOf(second)! });
    expect([first, second, third].map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2]);
  });

  it('filters with a predicate and returns the oldest match', async () => {
    const { client: c } = await connectEmitter();
    await c.execute('emit', { names: ['E', 'E', 'E'] });
    const e = await c.waitFor('E', (ev) => (ev.data as { i: number }).i >= 1);
    expect(e.data).toEqual({ i: 1 });
  });

  it('only remembers the last eventBufferSize events', async () => {
    const { client: c } = await connectEmitter({ eventBufferSize: 2 });
    await c.execute('emit', { names: ['FIRST', 'SECOND', 'THIRD'] });
    await expect(c.waitFor('SECOND')).resolves.toMatchObject({ data: { i: 1 } });
    await expect(c.waitFor('FIRST', undefined, { since: 0, ...bufferOnly() })).rejects.toThrow('not in the buffer');
  });

  it('a throwing predicate rejects that waiter only', async () => {
    const { client: c, conn } = await connectEmitter();
    const bad = c.waitFor('Z', () => {
      throw new Error('predicate bug');
    }, { since: 'now' });
    const good = c.waitFor('Z', undefined, { since: 'now' });
    conn.event('Z');
    await expect(bad).rejects.toThrow('predicate bug');
    await expect(good).resolves.toMatchObject({ event: 'Z' });
  });

  it('rejects with QmpTimeoutError when its timeout passes first', async () => {
    const { client: c } = await connectEmitter();
    const error = await c.waitFor('NEVER', undefined, { timeout: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toBe('waitFor NEVER: timed out after 20 ms');
  });

  it('rejects with the abort reason', async () => {
    const { client: c } = await connectEmitter();
    const ac = new AbortController();
    const w = c.waitFor('NEVER', undefined, { signal: ac.signal });
    const reason = new Error('cancelled by test');
    ac.abort(reason);
    await expect(w).rejects.toBe(reason);
    await expect(c.waitFor('NEVER', undefined, { signal: ac.signal })).rejects.toBe(reason);
  });

  it('is typed by the client event map', async () => {
    type Events = { BLOCK_JOB_COMPLETED: { device: string; len: number }; STOP: undefined };
    server = await startMockServer();
    const typed = await QmpClient.connect({ path: server.path }, { bindings: new TypeRegistry<unknown, unknown, Events>([], []) });
    const waiting = typed.waitFor('BLOCK_JOB_COMPLETED', (e) => e.data.device === 'j', { since: 'now' });
    expectTypeOf(waiting).resolves.toEqualTypeOf<QmpEvent<'BLOCK_JOB_COMPLETED', { device: string; len: number }>>();
    server.connections[0]!.event('BLOCK_JOB_COMPLETED', { device: 'j', len: 5 });
    expect((await waiting).data.len).toBe(5);
    await typed.close();
  });
});
