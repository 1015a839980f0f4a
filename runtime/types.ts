/**
 * Shapes shared by the client's modules and its users: what QMP sends
 * (events, the greeting) and where a client connects.  Below every module
 * that uses them: it imports only the platform's stream type.
 */
import type { ByteStream } from './platform.js';

export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

/**
 * An asynchronous event as received. `data` is whatever the server sent, and
 * `undefined` when the event had no `data` member (e.g. STOP).
 */
export interface QmpEvent<N extends string = string, D = unknown> {
  event: N;
  data: D;
  timestamp: QmpTimestamp;
}

/** Map from event name to its data type; generated code supplies a precise one. */
export type EventMap = Record<string, unknown>;

/** Union of every event in a map, used for wildcard subscribers. */
export type AnyEvent<E extends EventMap> = { [K in keyof E & string]: QmpEvent<K, E[K]> }[keyof E & string];

export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

export interface QmpGreeting {
  version: QmpVersion;
  capabilities: string[];
}

export type ConnectTarget = { path: string } | { host: string; port: number } | { stream: ByteStream };
