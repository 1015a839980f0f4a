/**
 * The bindings of QEMU 7.2's whole schema, as the end-to-end tests see
 * them (bindings.ts generates and loads them).
 */
import type { QmpTransport, TypeRegistry } from 'qapi-ts-runtime';
import { loadBindings, useBindings, type BindingsSpec } from './bindings.js';
import type { E2eScope } from './scope.js';

const SPEC_72: BindingsSpec = { qemuVersion: '7.2' };

/** The 64-bit integers, as bindings generated with the default --int64 (bigint) hold them. */
type Count = bigint;

export interface BlockJobInfo72 {
  type: string;
  device: string;
  len: Count;
  offset: Count;
  busy: boolean;
  paused: boolean;
  speed: Count;
  ready: boolean;
  status: string;
  error?: string;
}

export interface BlockJobEventData72 {
  type: string;
  device: string;
  len: Count;
  offset: Count;
  speed: Count;
  error?: string;
}

/** The events the tests wait for, as 7.2's bindings type them. */
export type Events72 = {
  BLOCK_JOB_READY: BlockJobEventData72;
  BLOCK_JOB_COMPLETED: BlockJobEventData72;
  BLOCK_JOB_CANCELLED: BlockJobEventData72;
  BLOCK_JOB_ERROR: { device: string; operation: string; action: string };
  JOB_STATUS_CHANGE: { id: string; status: string };
};

export interface BlockCommitArguments72 {
  'job-id'?: string;
  device: string;
  'base-node'?: string;
  base?: string;
  'top-node'?: string;
  top?: string;
  'backing-file'?: string;
  speed?: Count;
  'on-error'?: 'report' | 'ignore' | 'enospc' | 'stop' | 'auto';
  'filter-node-name'?: string;
  'auto-finalize'?: boolean;
  'auto-dismiss'?: boolean;
}

export interface Commands72 {
  /** Any command by name, as CommandRunner runs it. */
  execute(name: string, args?: Record<string, unknown>): Promise<unknown>;
  blockCommit(args: BlockCommitArguments72): Promise<void>;
  blockJobComplete(args: { device: string }): Promise<void>;
  blockJobCancel(args: { device: string; force?: boolean }): Promise<void>;
  queryBlockJobs(): Promise<BlockJobInfo72[]>;
  queryNamedBlockNodes(args?: { flat?: boolean }): Promise<{ 'node-name': string; file: string; backing_file?: string }[]>;
  quit(): Promise<void>;
}

export interface Bindings72 {
  QmpCommands: new (transport: QmpTransport) => Commands72;
  registry: TypeRegistry<unknown, unknown, Events72>;
}

/** Generates (or confirms up to date) and imports the 7.2 bindings. */
export function loadBindings72(): Promise<Bindings72> {
  return loadBindings<Bindings72>(SPEC_72);
}

/**
 * For a describe block: the 7.2 bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings72(): { readonly bindings: Bindings72; readonly scope: E2eScope } {
  return useBindings<Bindings72>(SPEC_72);
}
