/**
 * Classifies one parsed server message and builds outgoing command lines.
 * Kept apart from the client so the wire format is readable in one place.
 */
import { stringifyQmpJson } from './json.js';
import type { QmpEvent, QmpGreeting, QmpTimestamp } from './types.js';

export type ServerMessage =
  | { kind: 'return'; id: unknown; value: unknown }
  | { kind: 'error'; id: unknown; errorClass: string; desc: string }
  | { kind: 'event'; event: QmpEvent }
  | { kind: 'greeting'; greeting: QmpGreeting }
  | { kind: 'unknown' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing or odd timestamps become -1/-1, QEMU's own "no time" marker. */
function timestampOf(value: unknown): QmpTimestamp {
  if (isObject(value) && typeof value.seconds === 'number' && typeof value.microseconds === 'number') {
    return { seconds: value.seconds, microseconds: value.microseconds };
  }
  return { seconds: -1, microseconds: -1 };
}

export function classify(message: unknown): ServerMessage {
  if (!isObject(message)) return { kind: 'unknown' };
  if ('return' in message) return { kind: 'return', id: message.id, value: message.return };
  if ('error' in message) {
    const error = isObject(message.error) ? message.error : {};
    return {
      kind: 'error',
      id: message.id,
      errorClass: typeof error.class === 'string' ? error.class : 'GenericError',
      desc: typeof error.desc === 'string' ? error.desc : '',
    };
  }
  if (typeof message.event === 'string') {
    return { kind: 'event', event: { event: message.event, data: message.data, timestamp: timestampOf(message.timestamp) } };
  }
  if (isObject(message.QMP)) {
    const { version, capabilities } = message.QMP;
    if (isObject(version) && isObject(version.qemu) && Array.isArray(capabilities)) {
      const q = version.qemu;
      return {
        kind: 'greeting',
        greeting: {
          version: {
            qemu: { major: Number(q.major), minor: Number(q.minor), micro: Number(q.micro) },
            package: typeof version.package === 'string' ? version.package : '',
          },
          capabilities: capabilities.filter((c): c is string => typeof c === 'string'),
        },
      };
    }
  }
  return { kind: 'unknown' };
}

/** How the QEMU a greeting comes from is named in messages: `QEMU 7.2.22 (Debian 1:7.2+dfsg-7)`. */
export function qemuIdentity(greeting: QmpGreeting): string {
  const { qemu, package: pkg } = greeting.version;
  const version = `QEMU ${qemu.major}.${qemu.minor}.${qemu.micro}`;
  return pkg.trim() === '' ? version : `${version} (${pkg.trim()})`;
}

/** One command line, without the terminating newline. */
export function encodeCommand(command: string, args: Record<string, unknown> | undefined, id: number, oob: boolean): string {
  // Hand-assembled so the common no-bigint case costs one native stringify.
  const head = oob ? '{"exec-oob":' : '{"execute":';
  const body = args === undefined ? '' : `,"arguments":${stringifyQmpJson(args)}`;
  return `${head}${JSON.stringify(command)}${body},"id":${id}}`;
}
