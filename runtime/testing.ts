/**
 * `qapi-ts-runtime/testing`: a QMP peer made from the bindings, for testing
 * programs that talk to QEMU without QEMU, and the recording and replay of
 * real sessions.  A separate entry point: nothing of it reaches a program
 * that imports only `qapi-ts-runtime`.
 */
export {
  QmpPeer,
  wallClock,
  type HandlerArgs,
  type HandlerReturn,
  type PeerCall,
  type PeerGreeting,
  type PeerHandler,
  type PeerOptions,
  type ReceivedCall,
} from './testing/peer.js';
export type { ListenTarget, PeerAddress } from './testing/server.js';
export { CommandFailure, PeerHandlerError, ReplayMismatchError, type ReplayDifference } from './testing/errors.js';
export type { Fault, FaultOptions } from './testing/faults.js';
export { JobSimulator, SimulatedJob, type JobIoError, type JobOptions, type JobStatus } from './testing/jobs.js';
export { duplexPair } from './testing/duplex.js';
export { QmpRecorder, type RecorderOptions } from './testing/recorder.js';
export { ReplayPeer, type ReplayOptions } from './testing/replay.js';
export {
  parseRecording,
  recordingText,
  RecordingFormatError,
  type RecordedEntry,
  type Recording,
  type RecordingHeader,
} from './testing/recording.js';
