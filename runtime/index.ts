/** Public entry of the QMP runtime imported by generated bindings. */
export { parseQmpJson, stringifyQmpJson } from './json.js';
export { MAX_NESTING } from './nesting.js';
export {
  QmpConnectionError,
  QmpError,
  QmpInexactIntegerError,
  QmpJobError,
  QmpJobNotFoundError,
  QmpOutcomeUnknownError,
  QmpProtocolError,
  QmpTimeoutError,
  isQmpError,
  type QmpProtocolErrorReason,
} from './errors.js';
export type { ExecuteOptions, QmpTransport } from './transport.js';
export { QmpClient, type ConnectionState, type WaitForOptions } from './client.js';
export type { ReconnectEvent, ReconnectOptions } from './reconnect.js';
export { COMMAND_CHANNEL, type CommandOutcome, type CommandTrace } from './tracing.js';
export {
  INTEGER_RANGES,
  linkNamedTables,
  type AlternateDescriptor,
  type ArrayDescriptor,
  type BuiltinKind,
  type CommandInfo,
  type CommandTable,
  type DocumentedError,
  type EnumDescriptor,
  type EventTable,
  type Int64Mode,
  type IntegerKind,
  type LinkedTables,
  type MemberDescriptor,
  type MemberReleases,
  type NamedDescriptor,
  type ReleaseSet,
  type NamedTables,
  type SpanInfo,
  type ObjectDescriptor,
  type RegistryOptions,
  type TypeDescriptor,
  type TypeRef,
  type TypeTable,
} from './tables.js';
export {
  QapiValidationError,
  TypeRegistry,
  argumentProblems,
  checkArguments,
  checkValue,
  problemText,
  valueProblems,
  type Problem,
  type ProblemKind,
} from './validation.js';
export { readValue } from './reading.js';
export {
  ArgumentsSchema,
  type ArgumentsSchemaProps,
  type StandardIssue,
  type StandardResult,
  type StandardSchema,
  type StandardSchemaProps,
} from './standard-schema.js';
export type { PathStep } from './paths.js';
export { nearMisses } from './near-miss.js';
export {
  CommandRunner,
  runCommand,
  type ArgumentMember,
  type SupportQuery,
  type CallOptions,
  type CommandShape,
  type ExecuteArguments,
  type OobCallOptions,
} from './commands.js';
export {
  BLOCK_JOB_EVENTS,
  runBlockJob,
  type BlockJobCompletedEvent,
  type BlockJobEventData,
  type BlockJobHost,
  type BlockJobProgress,
  type RunBlockJobOptions,
} from './block-job.js';
export { JOB_EVENTS, runJob, type JobInfo, type JobProgress, type RunJobOptions } from './job.js';
export type { FollowOptions, JobCount, JobHost } from './job-follower.js';
export { QmpSchemaDriftError, type SchemaCache, type SchemaCheckOptions } from './schema-check.js';
export {
  QmpUnavailableError,
  chooseRelease,
  releaseNames,
  type InRelease,
  type QemuVersionNumbers,
  type ReleaseAware,
  type ReleaseChoice,
  type ReleaseFit,
  type ReleaseGate,
  type ReleaseMembers,
  type Unavailable,
} from './span.js';
export type { Drift, DriftKind, SchemaDrift } from './drift.js';
export {
  BUILTIN_OF_JSON_TYPE,
  readSchemaInfo,
  type AlternateInfo,
  type ArrayInfo,
  type BuiltinInfo,
  type CommandSchemaInfo,
  type EnumInfo,
  type EnumValueInfo,
  type EventSchemaInfo,
  type MemberInfo,
  type ObjectInfo,
  type SchemaInfo,
  type SchemaInfoReading,
  type SchemaJsonType,
  type TypeSchemaInfo,
  type VariantInfo,
} from './schema-info.js';
export type { AbortSignalLike, ByteStream } from './platform.js';
export type { ConnectOptions } from './connect-options.js';
export type {
  AnyEvent,
  ConnectTarget,
  EventMap,
  QmpEvent,
  QmpGreeting,
  QmpTimestamp,
  QmpVersion,
} from './types.js';
