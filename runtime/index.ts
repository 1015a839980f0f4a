/** Public entry of the QMP runtime imported by generated bindings. */
export { parseQmpJson, stringifyQmpJson } from './json.js';
export {
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpProtocolError,
  QmpTimeoutError,
  type QmpProtocolErrorReason,
} from './errors.js';
export type { ExecuteOptions, QmpTransport } from './transport.js';
export { QmpClient, type WaitForOptions } from './client.js';
export { runBlockJob, type BlockJobHost, type BlockJobProgress, type RunBlockJobOptions } from './jobs.js';
export type {
  AnyEvent,
  ConnectOptions,
  ConnectTarget,
  EventMap,
  QmpEvent,
  QmpGreeting,
  QmpTimestamp,
  QmpVersion,
} from './types.js';
