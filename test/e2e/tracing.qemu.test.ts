/**
 * Tracing end to end: OpenTelemetry spans made from the qapi-ts:command
 * channel (test/helpers/otel.ts) while a client talks to QEMU 10.0.2's
 * qemu-storage-daemon: one per command, the handshake's included, with
 * its name, id, duration and outcome, and QEMU's error on the one QEMU
 * refuses.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { QmpError } from 'qapi-ts-runtime';
import { commandSpans } from '../helpers/otel.js';
import { requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { SCHEMA_100, useBindings100 } from './helpers/bindings100.js';

const qemu10 = requireQemu10(['qemu-storage-daemon'], 'end-to-end tracing on QEMU 10.0.2');
const schema = requireShared(SCHEMA_100, 'end-to-end tests with the QEMU 10.0 bindings');

describe.skipIf(!qemu10.available || !schema.available)('QEMU 10.0.2: commands as OpenTelemetry spans', () => {
  const e2e = useBindings100();

  it('a span per command with name, id, duration and outcome; the error reply as an error status', async () => {
    const daemon = await e2e.scope.daemon(qemu10);
    const spans = commandSpans();
    try {
      const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
      const qmp = new e2e.bindings.QmpCommands(client);
      await qmp.queryJobs();
      await client.execute('query-version');
      await expect(client.execute('blockdev-del', { 'node-name': 'missing' })).rejects.toBeInstanceOf(QmpError);
    } finally {
      spans.stop();
    }
    const finished = spans.exporter.getFinishedSpans();
    expect(finished.map((s) => [s.name, s.attributes['qmp.id'], s.attributes['qmp.outcome'], s.status.code])).toEqual([
      ['qmp qmp_capabilities', 1, 'return', SpanStatusCode.UNSET],
      ['qmp query-jobs', 2, 'return', SpanStatusCode.UNSET],
      ['qmp query-version', 3, 'return', SpanStatusCode.UNSET],
      ['qmp blockdev-del', 4, 'error', SpanStatusCode.ERROR],
    ]);
    expect(finished[3]!.status.message).toMatch(/^blockdev-del: \w+: .*missing/);
    for (const span of finished) expect(span.attributes['qmp.duration_ms'] as number).toBeGreaterThanOrEqual(0);
  });
});
