/**
 * Tracing: every command the client sends goes out on the
 * `qapi-ts:command` tracing channel of diagnostics_channel, with its name,
 * id, duration and outcome, and OpenTelemetry spans are made from it
 * (test/helpers/otel.ts, as a program would).  Nothing is published when
 * nobody listens, and where diagnostics_channel is absent commands run
 * untraced.  Against QEMU 10.0.2: test/e2e/tracing.qemu.test.ts.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_CHANNEL, QmpClient, QmpError, QmpTimeoutError } from '../../runtime/index.js';
import { commandSpans } from '../helpers/otel.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

const held: { client?: QmpClient; server?: MockServer } = {};
closeAfterEach(() => [held.client, held.server]);

async function connect(): Promise<QmpClient> {
  held.server = await startMockServer({
    onCommand: (command, conn) => {
      if (command.name === 'hang' || command.name === 'cont') return true;
      if (command.name !== 'fail') return false;
      conn.replyError(command, 'DeviceNotFound', "Device 'x' not found");
      return true;
    },
  });
  held.client = await QmpClient.connect({ path: held.server.path });
  return held.client;
}

describe('the qapi-ts:command tracing channel', () => {
  it('gives a span per command: its name, id, duration and outcome, an error status unless it returned', async () => {
    const c = await connect();
    const spans = commandSpans();
    try {
      await c.execute('query-status');
      await expect(c.execute('fail')).rejects.toBeInstanceOf(QmpError);
      await expect(c.execute('hang', undefined, { timeout: 10 })).rejects.toBeInstanceOf(QmpTimeoutError);
      const arrived = held.server!.nextCommandNamed('cont');
      await c.execute('cont', undefined, { noReply: true });
      await arrived;
    } finally {
      spans.stop();
    }
    const finished = spans.exporter.getFinishedSpans();
    const ids = held.server!.received.slice(1).map((r) => r.id);
    expect(finished.map((s) => [s.name, s.attributes['qmp.command'], s.attributes['qmp.id'], s.attributes['qmp.outcome'], s.status.code])).toEqual([
      ['qmp query-status', 'query-status', ids[0], 'return', SpanStatusCode.UNSET],
      ['qmp fail', 'fail', ids[1], 'error', SpanStatusCode.ERROR],
      ['qmp hang', 'hang', ids[2], 'failed', SpanStatusCode.ERROR],
      ['qmp cont', 'cont', ids[3], 'sent', SpanStatusCode.UNSET],
    ]);
    expect(finished[1]!.status.message).toBe("fail: DeviceNotFound: Device 'x' not found");
    expect(finished[1]!.events.map((e) => e.name)).toEqual(['exception']);
    expect(finished[2]!.status.message).toBe('hang: timed out after 10 ms');
    for (const span of finished) {
      expect(span.attributes['qmp.duration_ms']).toBeTypeOf('number');
      expect(span.attributes['qmp.duration_ms'] as number).toBeGreaterThanOrEqual(0);
    }
  });

  it('passes the command’s arguments and result, as the channel’s context', async () => {
    const c = await connect();
    const seen: unknown[] = [];
    const handlers = { start() {}, end() {}, asyncStart() {}, asyncEnd: (m: unknown) => void seen.push({ ...(m as object) }), error() {} };
    const channel = tracingChannel(COMMAND_CHANNEL);
    channel.subscribe(handlers);
    try {
      await c.execute('block-commit', { device: 'drive0' });
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(seen).toMatchObject([{ command: 'block-commit', arguments: { device: 'drive0' }, result: {}, outcome: 'return' }]);
  });

  it('publishes nothing when nobody listens', async () => {
    const c = await connect();
    const spans = commandSpans();
    spans.stop();
    expect(tracingChannel(COMMAND_CHANNEL).hasSubscribers).toBe(false);
    await c.execute('query-status');
    expect(spans.exporter.getFinishedSpans()).toEqual([]);
  });

  it('adds no import of a Node module to the runtime: a bundler for the browser sees only node:net, as before', async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(PROJECT_ROOT, 'runtime', 'index.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'esm',
      external: ['node:*'],
      logLevel: 'silent',
    });
    const imported = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect([...new Set(imported)]).toEqual(['node:net']);
  });

  it('where there is no diagnostics_channel (no process.getBuiltinModule), commands run untraced', async () => {
    vi.resetModules();
    const host = process as { getBuiltinModule?: unknown };
    const saved = host.getBuiltinModule;
    host.getBuiltinModule = undefined;
    try {
      const { traceCommand } = await import('../../runtime/tracing.js');
      await expect(traceCommand('query-status', 1, undefined, false, () => Promise.resolve('ok'))).resolves.toBe('ok');
    } finally {
      host.getBuiltinModule = saved;
    }
  });
});
