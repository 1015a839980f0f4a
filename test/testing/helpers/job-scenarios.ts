/**
 * Job scenarios, each a script of requests and waits with the trace it
 * gives: every reply (ok, or its error) and every job event, in the order
 * they arrive.  The traces are QEMU 10.0.2's: test/e2e/job-events.qemu.test.ts
 * runs every scenario against its qemu-storage-daemon (a base <- mid <-
 * top chain, targets added by the scripts) and requires the same traces;
 * test/testing/jobs.test.ts runs them against the peer's job simulator,
 * with the handlers below standing in for QEMU's block layer.
 *
 * Where QEMU's trace depends on timing, the scripts wait for an event
 * before going on (a pause takes effect at the job's next pause point),
 * and repeated BLOCK_JOB_ERROR events (one per request in flight, a
 * number that depends on timing) count as one.
 */
import type { Duplex } from 'node:stream';
import { CommandFailure, type QmpPeer } from 'qapi-ts-runtime/testing';
import { RawConversation, type Message } from './raw.js';

export type ScriptStep = { readonly send: string; readonly args?: Record<string, unknown> } | { readonly wait: string; readonly status?: string };

export interface JobScenario {
  readonly name: string;
  readonly script: readonly ScriptStep[];
  readonly trace: readonly string[];
}

const file = (name: string) => ({ driver: 'file', filename: name });
/** A qcow2 target over a blkdebug layer failing every write. */
const failing = (name: string) => ({ driver: 'qcow2', 'node-name': name, file: { driver: 'blkdebug', 'inject-error': [{ event: 'pwritev', errno: 5 }], image: file(`${name}.qcow2`) } });
const target = (name: string) => ({ driver: 'qcow2', 'node-name': name, file: file(`${name}.qcow2`) });

/** Images the scripts add as targets, created beside the chain (16 MiB qcow2). */
export const TARGET_IMAGES = ['tgt1', 'tgt2', 'tgt3', 'tgt4', 'bad1', 'bad2'];

export const JOB_SCENARIOS: readonly JobScenario[] = [
  {
    name: 'a commit of an intermediate layer runs its course (auto-finalize, auto-dismiss)',
    script: [
      { send: 'block-commit', args: { 'job-id': 'c0', device: 'top', 'top-node': 'mid', 'base-node': 'base' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
      { send: 'query-block-jobs' },
      { send: 'block-job-cancel', args: { device: 'c0' } },
      { send: 'job-dismiss', args: { id: 'c0' } },
    ],
    trace: [
      'JOB_STATUS_CHANGE c0 created',
      'JOB_STATUS_CHANGE c0 running',
      'block-commit: ok',
      'JOB_STATUS_CHANGE c0 waiting',
      'JOB_STATUS_CHANGE c0 pending',
      'BLOCK_JOB_COMPLETED c0 commit',
      'JOB_STATUS_CHANGE c0 concluded',
      'JOB_STATUS_CHANGE c0 null',
      'query-block-jobs: []',
      "block-job-cancel: DeviceNotActive: Block job 'c0' not found",
      'job-dismiss: GenericError: Job not found',
    ],
  },
  {
    name: 'an active commit waits in ready for block-job-complete, then for job-finalize and job-dismiss',
    script: [
      { send: 'block-commit', args: { 'job-id': 'a0', device: 'top', 'auto-finalize': false, 'auto-dismiss': false } },
      { wait: 'BLOCK_JOB_READY' },
      { send: 'query-block-jobs' },
      { send: 'query-jobs' },
      { send: 'job-dismiss', args: { id: 'a0' } },
      { send: 'block-job-finalize', args: { id: 'a0' } },
      { send: 'block-job-complete', args: { device: 'a0' } },
      { wait: 'BLOCK_JOB_PENDING' },
      { send: 'query-jobs' },
      { send: 'block-job-complete', args: { device: 'a0' } },
      { send: 'job-finalize', args: { id: 'a0' } },
      { send: 'query-block-jobs' },
      { send: 'block-job-dismiss', args: { id: 'a0' } },
      { send: 'query-jobs' },
    ],
    trace: [
      'JOB_STATUS_CHANGE a0 created',
      'JOB_STATUS_CHANGE a0 running',
      'block-commit: ok',
      'JOB_STATUS_CHANGE a0 ready',
      'BLOCK_JOB_READY a0 commit',
      'query-block-jobs: [a0 commit ready ready=true paused=false io=ok auto-finalize=false auto-dismiss=false]',
      'query-jobs: [a0 commit ready]',
      "job-dismiss: GenericError: Job 'a0' in state 'ready' cannot accept command verb 'dismiss'",
      "block-job-finalize: GenericError: Job 'a0' in state 'ready' cannot accept command verb 'finalize'",
      'block-job-complete: ok',
      'JOB_STATUS_CHANGE a0 waiting',
      'JOB_STATUS_CHANGE a0 pending',
      'BLOCK_JOB_PENDING a0 commit',
      'query-jobs: [a0 commit pending]',
      "block-job-complete: GenericError: Job 'a0' in state 'pending' cannot accept command verb 'complete'",
      'BLOCK_JOB_COMPLETED a0 commit',
      'JOB_STATUS_CHANGE a0 concluded',
      'job-finalize: ok',
      'query-block-jobs: [a0 commit concluded ready=false paused=false io=ok auto-finalize=false auto-dismiss=false]',
      'JOB_STATUS_CHANGE a0 null',
      'block-job-dismiss: ok',
      'query-jobs: []',
    ],
  },
  {
    name: 'a slow mirror is paused, refused what a paused job refuses, resumed and cancelled',
    script: [
      { send: 'blockdev-add', args: target('tgt1') },
      { send: 'blockdev-mirror', args: { 'job-id': 'm0', device: 'top', target: 'tgt1', sync: 'full', speed: 65536 } },
      { send: 'block-job-pause', args: { device: 'm0' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'paused' },
      { send: 'query-block-jobs' },
      { send: 'block-job-pause', args: { device: 'm0' } },
      { send: 'block-job-cancel', args: { device: 'm0' } },
      { send: 'block-job-resume', args: { device: 'm0' } },
      { send: 'block-job-resume', args: { device: 'm0' } },
      { send: 'block-job-set-speed', args: { device: 'm0', speed: -1 } },
      { send: 'block-job-complete', args: { device: 'm0' } },
      { send: 'block-job-cancel', args: { device: 'm0' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE m0 created',
      'JOB_STATUS_CHANGE m0 running',
      'blockdev-mirror: ok',
      'block-job-pause: ok',
      'JOB_STATUS_CHANGE m0 paused',
      'query-block-jobs: [m0 mirror paused ready=false paused=true io=ok auto-finalize=true auto-dismiss=true]',
      'block-job-pause: GenericError: Job is already paused',
      "block-job-cancel: GenericError: The block job for device 'm0' is currently paused",
      'JOB_STATUS_CHANGE m0 running',
      'block-job-resume: ok',
      "block-job-resume: GenericError: Can't resume a job that was not paused",
      "block-job-set-speed: GenericError: Parameter 'speed' expects a non-negative value",
      "block-job-complete: GenericError: Job 'm0' in state 'running' cannot accept command verb 'complete'",
      'block-job-cancel: ok',
      'JOB_STATUS_CHANGE m0 aborting',
      'BLOCK_JOB_CANCELLED m0 mirror',
      'JOB_STATUS_CHANGE m0 concluded',
      'JOB_STATUS_CHANGE m0 null',
    ],
  },
  {
    name: 'a soft cancel of a ready mirror completes it',
    script: [
      { send: 'blockdev-add', args: target('tgt2') },
      { send: 'blockdev-mirror', args: { 'job-id': 'm1', device: 'top', target: 'tgt2', sync: 'full' } },
      { wait: 'BLOCK_JOB_READY' },
      { send: 'block-job-cancel', args: { device: 'm1' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE m1 created',
      'JOB_STATUS_CHANGE m1 running',
      'blockdev-mirror: ok',
      'JOB_STATUS_CHANGE m1 ready',
      'BLOCK_JOB_READY m1 mirror',
      'block-job-cancel: ok',
      'JOB_STATUS_CHANGE m1 waiting',
      'JOB_STATUS_CHANGE m1 pending',
      'BLOCK_JOB_COMPLETED m1 mirror',
      'JOB_STATUS_CHANGE m1 concluded',
      'JOB_STATUS_CHANGE m1 null',
    ],
  },
  {
    name: 'a forced cancel of a ready mirror cancels it',
    script: [
      { send: 'blockdev-add', args: target('tgt3') },
      { send: 'blockdev-mirror', args: { 'job-id': 'm2', device: 'top', target: 'tgt3', sync: 'full' } },
      { wait: 'BLOCK_JOB_READY' },
      { send: 'block-job-cancel', args: { device: 'm2', force: true } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE m2 created',
      'JOB_STATUS_CHANGE m2 running',
      'blockdev-mirror: ok',
      'JOB_STATUS_CHANGE m2 ready',
      'BLOCK_JOB_READY m2 mirror',
      'block-job-cancel: ok',
      'JOB_STATUS_CHANGE m2 aborting',
      'BLOCK_JOB_CANCELLED m2 mirror',
      'JOB_STATUS_CHANGE m2 concluded',
      'JOB_STATUS_CHANGE m2 null',
    ],
  },
  {
    name: 'a write error reported fails the job',
    script: [
      { send: 'blockdev-add', args: failing('bad1') },
      { send: 'blockdev-mirror', args: { 'job-id': 'e0', device: 'top', target: 'bad1', sync: 'full' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE e0 created',
      'JOB_STATUS_CHANGE e0 running',
      'blockdev-mirror: ok',
      'BLOCK_JOB_ERROR e0 write report',
      'JOB_STATUS_CHANGE e0 aborting',
      'BLOCK_JOB_COMPLETED e0 mirror error=Input/output error',
      'JOB_STATUS_CHANGE e0 concluded',
      'JOB_STATUS_CHANGE e0 null',
    ],
  },
  {
    name: 'a write error with on-target-error stop pauses the job; a forced cancel resumes it to cancel it',
    script: [
      { send: 'blockdev-add', args: failing('bad2') },
      { send: 'blockdev-mirror', args: { 'job-id': 'e1', device: 'top', target: 'bad2', sync: 'full', 'on-target-error': 'stop' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'paused' },
      { send: 'query-block-jobs' },
      { send: 'query-jobs' },
      { send: 'block-job-cancel', args: { device: 'e1', force: true } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE e1 created',
      'JOB_STATUS_CHANGE e1 running',
      'blockdev-mirror: ok',
      'BLOCK_JOB_ERROR e1 write stop',
      'JOB_STATUS_CHANGE e1 paused',
      'query-block-jobs: [e1 mirror paused ready=false paused=true io=failed auto-finalize=true auto-dismiss=true]',
      'query-jobs: [e1 mirror paused]',
      'JOB_STATUS_CHANGE e1 running',
      'block-job-cancel: ok',
      'JOB_STATUS_CHANGE e1 aborting',
      'BLOCK_JOB_CANCELLED e1 mirror',
      'JOB_STATUS_CHANGE e1 concluded',
      'JOB_STATUS_CHANGE e1 null',
    ],
  },
  {
    name: 'the generic job API pauses, resumes and cancels a block job',
    script: [
      { send: 'blockdev-add', args: target('tgt4') },
      { send: 'blockdev-mirror', args: { 'job-id': 'p0', device: 'top', target: 'tgt4', sync: 'full', speed: 65536 } },
      { send: 'job-pause', args: { id: 'p0' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'paused' },
      { send: 'query-jobs' },
      { send: 'job-complete', args: { id: 'p0' } },
      { send: 'job-resume', args: { id: 'p0' } },
      { send: 'job-cancel', args: { id: 'p0' } },
      { wait: 'JOB_STATUS_CHANGE', status: 'null' },
      { send: 'job-cancel', args: { id: 'p0' } },
    ],
    trace: [
      'blockdev-add: ok',
      'JOB_STATUS_CHANGE p0 created',
      'JOB_STATUS_CHANGE p0 running',
      'blockdev-mirror: ok',
      'job-pause: ok',
      'JOB_STATUS_CHANGE p0 paused',
      'query-jobs: [p0 mirror paused]',
      "job-complete: GenericError: Job 'p0' in state 'paused' cannot accept command verb 'complete'",
      'JOB_STATUS_CHANGE p0 running',
      'job-resume: ok',
      'job-cancel: ok',
      'JOB_STATUS_CHANGE p0 aborting',
      'BLOCK_JOB_CANCELLED p0 mirror',
      'JOB_STATUS_CHANGE p0 concluded',
      'JOB_STATUS_CHANGE p0 null',
      'job-cancel: GenericError: Job not found',
    ],
  },
  {
    name: 'an image creation is a job but no block job: no BLOCK_JOB events, and it waits to be dismissed',
    script: [
      { send: 'blockdev-create', args: { 'job-id': 'cr0', options: { driver: 'file', filename: 'created.img', size: 1048576 } } },
      { wait: 'JOB_STATUS_CHANGE', status: 'concluded' },
      { send: 'query-block-jobs' },
      { send: 'query-jobs' },
      { send: 'block-job-dismiss', args: { id: 'cr0' } },
      { send: 'job-dismiss', args: { id: 'cr0' } },
    ],
    trace: [
      'JOB_STATUS_CHANGE cr0 created',
      'JOB_STATUS_CHANGE cr0 running',
      'blockdev-create: ok',
      'JOB_STATUS_CHANGE cr0 waiting',
      'JOB_STATUS_CHANGE cr0 pending',
      'JOB_STATUS_CHANGE cr0 concluded',
      'query-block-jobs: []',
      'query-jobs: [cr0 create concluded]',
      "block-job-dismiss: DeviceNotActive: Block job 'cr0' not found",
      'JOB_STATUS_CHANGE cr0 null',
      'job-dismiss: ok',
    ],
  },
];

const JOB_EVENTS = new Set(['JOB_STATUS_CHANGE', 'BLOCK_JOB_READY', 'BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_ERROR', 'BLOCK_JOB_PENDING']);

type Data = Record<string, unknown>;

/** One line of a trace: a job event, or a reply to the command sent. */
function eventLine(m: Message): string | undefined {
  const event = m.event as string;
  if (!JOB_EVENTS.has(event)) return undefined;
  const d = m.data as Data;
  switch (event) {
    case 'JOB_STATUS_CHANGE':
      return `${event} ${d.id} ${d.status}`;
    case 'BLOCK_JOB_ERROR':
      return `${event} ${d.device} ${d.operation} ${d.action}`;
    case 'BLOCK_JOB_PENDING':
      return `${event} ${d.id} ${d.type}`;
    default:
      return `${event} ${d.device} ${d.type}${d.error === undefined ? '' : ` error=${d.error}`}`;
  }
}

function replyLine(command: string, m: Message): string {
  if ('error' in m) {
    const e = m.error as { class: string; desc: string };
    return `${command}: ${e.class}: ${e.desc}`;
  }
  const value = m.return;
  if (!Array.isArray(value)) return `${command}: ok`;
  const rows = (value as Data[]).map((j) =>
    command === 'query-block-jobs'
      ? `${j.device} ${j.type} ${j.status} ready=${j.ready} paused=${j.paused} io=${j['io-status']} auto-finalize=${j['auto-finalize']} auto-dismiss=${j['auto-dismiss']}`
      : `${j.id} ${j.type} ${j.status}`,
  );
  return `${command}: [${rows.join(', ')}]`;
}

/**
 * Runs a script on a connection (negotiated here), each request waiting
 * for its reply; returns the trace, repeated BLOCK_JOB_ERROR lines as one.
 */
export async function runScript(stream: Duplex, script: readonly ScriptStep[]): Promise<string[]> {
  const talk = new RawConversation(stream);
  const commands = new Map<number, string>();
  let id = 0;
  talk.send('{"execute":"qmp_capabilities","id":0}\n');
  await talk.replyCount(1);
  /** Where the next wait starts looking: after what the last step waited for. */
  let mark = talk.messages.length;
  const after = (test: (m: Message) => boolean): Promise<number> => {
    const from = mark;
    const find = (ms: readonly Message[]): number => ms.findIndex((m, i) => i >= from && test(m));
    return talk.until((ms) => find(ms) !== -1).then(() => find(talk.messages));
  };
  for (const step of script) {
    if ('send' in step) {
      const n = ++id;
      commands.set(n, step.send);
      talk.send(`${JSON.stringify({ execute: step.send, ...(step.args ? { arguments: step.args } : {}), id: n })}\n`);
      mark = (await after((m) => m.id === n && ('return' in m || 'error' in m))) + 1;
    } else {
      mark = (await after((m) => m.event === step.wait && (step.status === undefined || (m.data as Data).status === step.status))) + 1;
    }
  }
  const trace: string[] = [];
  for (const m of talk.messages.slice(2)) {
    const line = typeof m.event === 'string' ? eventLine(m) : typeof m.id === 'number' ? replyLine(commands.get(m.id) ?? '?', m) : undefined;
    if (line !== undefined && !(line.startsWith('BLOCK_JOB_ERROR') && trace[trace.length - 1] === line)) trace.push(line);
  }
  return trace;
}

/**
 * The handlers that stand in for QEMU's block layer in the scenarios:
 * blockdev-add remembers the nodes (and which fail writes), the job
 * commands start the job QEMU would (an active commit and a mirror wait in
 * ready; a speed makes the job slow: it only moves when told; a failing
 * target makes the job meet its I/O error).
 */
export function standInForQemu(peer: QmpPeer): void {
  const failingNodes = new Set<string>();
  const nodes = new Set(['base', 'mid', 'top']);
  peer.handle('blockdev-add', (args: Data) => {
    const name = args['node-name'] as string;
    if (nodes.has(name)) throw new CommandFailure('GenericError', `Duplicate nodes with node-name='${name}'`);
    nodes.add(name);
    const file = args.file as Data | undefined;
    if (file?.driver === 'blkdebug') failingNodes.add(name);
  });
  const pace = (args: Data) => (args.speed === undefined ? {} : { interval: 'manual' as const, speed: args.speed as number });
  peer.handle('block-commit', (args: Data) => {
    const active = args['top-node'] === undefined || args['top-node'] === args.device;
    peer.jobs.start({ id: (args['job-id'] ?? args.device) as string, type: 'commit', ready: active, ...pace(args), ...autos(args) });
  });
  peer.handle('blockdev-mirror', (args: Data) => {
    const target = args.target as string;
    if (!nodes.has(target)) throw new CommandFailure('GenericError', `Cannot find device='' nor node-name='${target}'`);
    const ioError = failingNodes.has(target) ? { operation: 'write' as const, action: ((args['on-target-error'] as string | undefined) ?? 'report') as 'report' | 'stop' } : undefined;
    peer.jobs.start({ id: (args['job-id'] ?? args.device) as string, type: 'mirror', ready: true, ...pace(args), ...autos(args), ...(ioError ? { ioError } : {}) });
  });
  peer.handle('blockdev-create', (args: Data) => {
    peer.jobs.start({ id: args['job-id'] as string, type: 'create', autoDismiss: false });
  });
}

function autos(args: Data): { autoFinalize?: boolean; autoDismiss?: boolean } {
  return {
    ...(args['auto-finalize'] === false ? { autoFinalize: false } : {}),
    ...(args['auto-dismiss'] === false ? { autoDismiss: false } : {}),
  };
}
