/** Public entry of the QMP runtime imported by generated bindings. */
export { parseQmpJson, stringifyQmpJson } from './json.js';
export {
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpJobNotFoundError,
  QmpProtocolError,
  QmpTimeoutError,
  isQmpError,
  type QmpProtocolErrorReason,
} from './errors.js';
export type { ExecuteOptions, QmpTransport } from './transport.js';
export { QmpClient, type WaitForOptions } from './client.js';
export {
  INTEGER_RANGES,
  type BuiltinKind,
  type CommandInfo,
  type CommandTable,
  type DocumentedError,
  type IntegerKind,
  type MemberDescriptor,
  type TypeDescriptor,
  type TypeTable,
} from './tables.js';
export { QapiValidationError, TypeRegistry } from './validation.js';
export { nearMisses } from './near-miss.js';
export {
  CommandRunner,
  type CallOptions,
  type CommandShape,
  type ExecuteArguments,
  type OobCallOptions,
} from './commands.js';
export {
  runBlockJob,
  type BlockJobCompletedEvent,
  type BlockJobEventData,
  type BlockJobHost,
  type BlockJobProgress,
  type RunBlockJobOptions,
} from './jobs.js';
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
