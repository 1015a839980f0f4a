/**
 * A fuzz pool child for the runtime target: runs one deep-value case
 * against the public runtime API, with the bindings of DEEP_SCHEMA
 * (generated into `bindings`, imported once): an event or a reply from a
 * test peer read by a QmpClient (raw, and through the bindings), or a
 * value given to `registry.check`.  It answers what happened; an exception
 * nothing caught ends the process, which the pool reports as a crash.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QmpClient, QmpProtocolError, type TypeRegistry } from 'qapi-ts-runtime';
import { depthOf, namesOf, valueOf, valueText, type DeepCase } from './cases.js';
import { startPeer } from './peer.js';

export interface DeepJob {
  readonly case: DeepCase;
  /** The generated bindings' folder (its index.js). */
  readonly bindings: string;
  /** Where the peer's socket goes. */
  readonly socket: string;
}

export type DeepAnswer =
  /** A reader took the value: how many levels it holds as read. */
  | { readonly outcome: 'read'; readonly levels: number | null }
  /** The event was reported as a protocol problem, and not delivered. */
  | { readonly outcome: 'reported'; readonly reason: string }
  /** The command rejected; `typed`: with QmpProtocolError. */
  | { readonly outcome: 'rejected'; readonly typed: boolean; readonly error: string }
  /** registry.check returned these problems. */
  | { readonly outcome: 'problems'; readonly problems: number }
  /** registry.check threw. */
  | { readonly outcome: 'threw'; readonly error: string }
  /** The connection stopped working after the value (no later event or reply). */
  | { readonly outcome: 'broken'; readonly detail: string };

interface Bindings {
  readonly registry: TypeRegistry;
  readonly QmpCommands: new (t: QmpClient) => Record<string, (...args: unknown[]) => Promise<unknown>>;
}

let bindings: Bindings | undefined;

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

async function runCase(job: DeepJob): Promise<DeepAnswer> {
  bindings ??= (await import(pathToFileURL(join(job.bindings, 'index.js')).href)) as Bindings;
  const { registry, QmpCommands } = bindings;
  const c = job.case;
  const names = namesOf(c.shape);
  if (c.placement === 'check' || c.placement === 'check-cycle') {
    const value = valueOf(c.shape, c.depth, c.placement === 'check-cycle');
    try {
      return { outcome: 'problems', problems: registry.check(names.type, value).length };
    } catch (e) {
      return { outcome: 'threw', error: describeError(e) };
    }
  }
  const text = valueText(c.shape, c.depth);
  const data = c.shape === 'node' || c.shape === 'tree' ? text : text.slice('{"v":'.length, -1);
  const peer = await startPeer(job.socket, (command, id) =>
    command.startsWith('deep-') ? `{"return":${valueText(c.shape, c.depth)},"id":${id}}\r\n` : `{"return":{},"id":${id}}\r\n`,
  );
  const reported: string[] = [];
  const client = await QmpClient.connect({ path: job.socket }, { bindings: registry, onProtocolError: (e) => reported.push(e.reason) });
  try {
    let answer: DeepAnswer;
    if (c.placement === 'event') {
      const seen: { name: string; data: unknown }[] = [];
      client.on('*', (e) => seen.push({ name: e.event, data: (e as { data?: unknown }).data }));
      const mark = client.waitFor('MARK' as never, undefined, { since: 'now' });
      peer.send(`{"event":"${names.event}","data":{"n":${data}},"timestamp":{"seconds":1,"microseconds":2}}\r\n`);
      peer.send('{"event":"MARK","timestamp":{"seconds":1,"microseconds":3}}\r\n');
      try {
        await withTimeout(mark, 10_000, 'MARK event after it');
      } catch (e) {
        return { outcome: 'broken', detail: describeError(e) };
      }
      const deep = seen.find((e) => e.name === names.event);
      if (deep) {
        const n = (deep.data as { n?: unknown }).n;
        answer = { outcome: 'read', levels: c.shape.startsWith('any') ? depthOfAny(c.shape, n) : depthOfTyped(c.shape, n) };
      } else answer = { outcome: 'reported', reason: reported.join(',') || '(nothing reported)' };
    } else {
      try {
        const value =
          c.placement === 'reply'
            ? await withTimeout(client.execute(names.command), 10_000, 'reply')
            : await withTimeout(new QmpCommands(client)[camel(names.command)]!(), 10_000, 'reply');
        answer = { outcome: 'read', levels: depthOfTyped(c.shape, value) };
      } catch (e) {
        if ((e as Error).message.startsWith('no reply within')) return { outcome: 'broken', detail: (e as Error).message };
        answer = { outcome: 'rejected', typed: e instanceof QmpProtocolError, error: describeError(e) };
      }
    }
    try {
      await withTimeout(client.execute('ping'), 10_000, 'reply to ping after it');
    } catch (e) {
      return { outcome: 'broken', detail: describeError(e) };
    }
    return answer;
  } finally {
    await client.close().catch(() => undefined);
    await peer.close();
  }
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Levels of a value read as its type holds it, and of an event's `any` member. */
const depthOfTyped = (shape: DeepCase['shape'], value: unknown): number | null => depthOf(shape, value);
const depthOfAny = (shape: DeepCase['shape'], n: unknown): number | null => depthOf(shape, { v: n });

process.on('message', (message: { id: number; job: DeepJob }) => {
  void runCase(message.job).then((result) => process.send!({ id: message.id, result }));
});
process.send!({ ready: true });
