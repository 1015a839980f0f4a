/**
 * What a program does to see qapi-ts's commands as OpenTelemetry spans:
 * subscribe to the `qapi-ts:command` tracing channel and turn each
 * command's context into a span (started on `start`, ended on `asyncEnd`
 * with the outcome, an error status for anything but a return).  Spans go
 * to an in-memory exporter the tests read.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { COMMAND_CHANNEL, type CommandTrace } from 'qapi-ts-runtime';

export interface CommandSpans {
  readonly exporter: InMemorySpanExporter;
  /** Unsubscribes from the channel. */
  stop(): void;
}

export function commandSpans(): CommandSpans {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('qapi-ts');
  const spans = new WeakMap<object, Span>();
  const handlers = {
    start(message: unknown) {
      const trace = message as CommandTrace;
      spans.set(trace, tracer.startSpan(`qmp ${trace.command}`, { attributes: { 'qmp.command': trace.command, 'qmp.id': trace.id } }));
    },
    end() {},
    asyncStart() {},
    asyncEnd(message: unknown) {
      const trace = message as CommandTrace;
      const span = spans.get(trace);
      if (span === undefined) return;
      span.setAttributes({ 'qmp.outcome': trace.outcome ?? 'unknown', 'qmp.duration_ms': trace.duration ?? -1 });
      if (trace.outcome !== 'return' && trace.outcome !== 'sent') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: trace.error instanceof Error ? trace.error.message : String(trace.error) });
      }
      span.end();
    },
    error(message: unknown) {
      const trace = message as CommandTrace;
      if (trace.error instanceof Error) spans.get(trace)?.recordException(trace.error);
    },
  };
  const channel = tracingChannel(COMMAND_CHANNEL);
  channel.subscribe(handlers);
  return { exporter, stop: () => channel.unsubscribe(handlers) };
}
