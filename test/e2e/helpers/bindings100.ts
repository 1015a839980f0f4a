/**
 * The bindings of QEMU 10.0's whole schema, as the end-to-end tests see
 * them (bindings.ts generates and loads them): the subset they use.
 */
import type { BlockJobEventData, QmpTransport, TypeRegistry } from 'qapi-ts-runtime';
import { schemaOf, useBindings, type BindingsSpec } from './bindings.js';
import type { E2eScope } from './scope.js';

export const SPEC_100: BindingsSpec = { qemuVersion: '10.0' };
/** The schema they come from, within ../shared (for requireShared). */
export const SCHEMA_100 = schemaOf(SPEC_100);

/** The 64-bit integers, as bindings generated with the default --int64 (bigint) hold them. */
type Count = bigint;

/** The events the tests wait for, as 10.0's bindings type them (the
 *  BLOCK_JOB_* data as the runtime reads it). */
export type Events100 = {
  BLOCK_JOB_COMPLETED: BlockJobEventData;
  JOB_STATUS_CHANGE: { id: string; status: string };
};

/** A reference to a block node: its definition, or its node name. */
export type BlockdevRef100 = BlockdevOptions100 | string;

/** The two drivers the tests open images with. */
export type BlockdevOptions100 =
  | { driver: 'file'; 'node-name'?: string; filename: string }
  | { driver: 'qcow2'; 'node-name'?: string; file: BlockdevRef100; backing?: BlockdevRef100 | null };

export interface BlockCommitArguments100 {
  'job-id'?: string;
  device: string;
  'base-node'?: string;
  'top-node'?: string;
  speed?: Count;
  'auto-finalize'?: boolean;
  'auto-dismiss'?: boolean;
}

/** The two image formats the tests create (BlockdevCreateOptions' file and qcow2 branches). */
export type BlockdevCreateOptions100 =
  | { driver: 'file'; filename: string; size: Count }
  | { driver: 'qcow2'; file: BlockdevRef100; size: Count };

export interface Commands100 {
  blockdevAdd(args: BlockdevOptions100): Promise<void>;
  blockdevCreate(args: { 'job-id': string; options: BlockdevCreateOptions100 }): Promise<void>;
  queryJobs(): Promise<{ id: string; type: string; status: string }[]>;
  blockCommit(args: BlockCommitArguments100): Promise<void>;
  queryBlockJobs(): Promise<{ device: string; type: string }[]>;
  queryNamedBlockNodes(args?: { flat?: boolean }): Promise<{ 'node-name': string; file: string; backing_file?: string }[]>;
  quit(): Promise<void>;
}

export interface Bindings100 {
  QmpCommands: new (transport: QmpTransport) => Commands100;
  /** The run-time schema, with each command's documented errors; a client connected with it reads events as the bindings type them. */
  registry: TypeRegistry<unknown, unknown, Events100>;
}

/** 10.0's QapiErrorClass: what its error replies carry. */
export type WireErrorClass100 = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound' | 'KVMMissingCap';

/**
 * For a describe block: the 10.0 bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings100(): { readonly bindings: Bindings100; readonly scope: E2eScope } {
  return useBindings<Bindings100>(SPEC_100);
}
