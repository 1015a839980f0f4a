/**
 * The typed command wrappers over a recording transport: validation before
 * sending, no-reply and out-of-band options, and the documented error table
 * of the seed's block-commit in the committed default bindings.
 */
import { describe, expect, it } from 'vitest';
import { QmpError, type ExecuteOptions, type QmpTransport } from '../../runtime/index.js';
import { ErrorClass, isQmpError, QapiValidationError, QmpCommands, registry } from '../../generated/index.js';
import * as golden from '../fixtures/golden/expected/index.js';
import { SEED_ERROR_TABLE } from '../helpers/seed.js';

interface Call {
  readonly command: string;
  readonly args: Record<string, unknown> | undefined;
  readonly options: ExecuteOptions | undefined;
}

function recorder(reply: unknown = {}): { transport: QmpTransport; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    transport: {
      execute(command, args, options) {
        calls.push({ command, args, options });
        return Promise.resolve(reply);
      },
    },
  };
}

describe('default bindings: QmpCommands', () => {
  it('sends a valid block-commit with its wire name and arguments', async () => {
    const { transport, calls } = recorder({});
    const qmp = new QmpCommands(transport);
    await expect(qmp.blockCommit({ device: 'drive0', top: 'top.qcow2', speed: 2n ** 60n })).resolves.toBeUndefined();
    expect(calls).toEqual([
      { command: 'block-commit', args: { device: 'drive0', top: 'top.qcow2', speed: 2n ** 60n }, options: { noReply: false } },
    ]);
  });

  it('rejects invalid arguments with every problem, sending nothing', async () => {
    const { transport, calls } = recorder();
    const qmp = new QmpCommands(transport);
    const bad = { device: 'drive0', top: 't', speed: 'fast' } as unknown as Parameters<QmpCommands['blockCommit']>[0];
    await expect(qmp.blockCommit(bad)).rejects.toThrow('block-commit: arguments.speed: expected an integer, got "fast"');
    const worse = { speed: 1.5, bogus: true } as unknown as Parameters<QmpCommands['blockCommit']>[0];
    const error = await qmp.blockCommit(worse).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QapiValidationError);
    expect((error as QapiValidationError).problems).toEqual([
      'arguments.device: missing required member',
      'arguments.top: missing required member',
      'arguments.speed: expected an integer, got 1.5',
      'arguments.bogus: unknown member',
    ]);
    expect(calls).toEqual([]);
  });

  it('returns what the server returns, typed; commands without data take no arguments', async () => {
    const version = { qemu: { major: 7, minor: 2, micro: 0 }, package: '' };
    const { transport, calls } = recorder(version);
    const qmp = new QmpCommands(transport);
    await expect(qmp.queryVersion()).resolves.toEqual(version);
    await expect(qmp.execute('query-version')).resolves.toEqual(version);
    await qmp.qmpCapabilities();
    await qmp.qmpCapabilities({ enable: ['oob'] });
    await expect(qmp.qmpCapabilities({ enable: ['nope' as 'oob'] })).rejects.toThrow(/arguments\.enable\[0\]: expected one of "oob"/);
    expect(calls.map((c) => [c.command, c.args])).toEqual([
      ['query-version', undefined],
      ['query-version', undefined],
      ['qmp_capabilities', undefined],
      ['qmp_capabilities', { enable: ['oob'] }],
    ]);
  });

  it('execute() validates like the wrapper and passes timeout and signal', async () => {
    const { transport, calls } = recorder();
    const qmp = new QmpCommands(transport);
    const signal = new AbortController().signal;
    await qmp.execute('block-job-cancel', { device: 'job0', force: true }, { timeout: 5, signal });
    expect(calls[0]?.options).toEqual({ noReply: false, timeout: 5, signal });
    await expect(qmp.execute('block-job-cancel', {} as { device: string })).rejects.toThrow(/arguments\.device: missing/);
  });

  it("has block-commit's documented errors, with the classes that arrive on the wire", () => {
    expect(ErrorClass).toEqual(['GenericError', 'CommandNotFound', 'DeviceNotActive', 'DeviceNotFound', 'KVMMissingCap']);
    expect(registry.command('block-commit')?.errors).toEqual(SEED_ERROR_TABLE);
    expect(registry.command('block-job-complete')?.errors).toEqual([
      { condition: 'If no job runs with that identifier', documented: 'DeviceNotActive', errorClass: 'DeviceNotActive' },
    ]);
  });

  it('recognizes error replies of a command', () => {
    const e = new QmpError('block-commit', 'DeviceNotFound', 'Device drive9 not found');
    expect(isQmpError(e, 'block-commit')).toBe(true);
    expect(isQmpError(e, 'query-version')).toBe(false);
    expect(isQmpError(new Error('x'))).toBe(false);
  });
});

describe('golden bindings: command flags', () => {
  it('resolves success-response:false commands without waiting (noReply)', async () => {
    const { transport, calls } = recorder('ignored');
    const qmp = new golden.QmpCommands(transport);
    await expect(qmp.fireAndForget({ level: 'low' })).resolves.toBeUndefined();
    expect(calls[0]?.options).toEqual({ noReply: true });
  });

  it('sends allow-oob commands out of band on request, and refuses it elsewhere', async () => {
    const { transport, calls } = recorder();
    const qmp = new golden.QmpCommands(transport);
    await qmp.ping({ oob: true });
    expect(calls[0]?.options).toEqual({ noReply: false, oob: true });
    const notOob = { oob: true } as unknown as Parameters<typeof qmp.queryLinux>[0];
    await expect(qmp.queryLinux(notOob)).rejects.toThrow(/does not allow out-of-band/);
    expect(calls).toHaveLength(1);
  });

  it('takes the named type for boxed commands and keeps Object.prototype names apart', async () => {
    const { transport, calls } = recorder([{ width: 1 }]);
    const qmp = new golden.QmpCommands(transport);
    await expect(qmp.draw({ shape: 'square', width: 2 })).resolves.toEqual([{ width: 1 }]);
    await qmp.toString_2();
    expect(String(qmp)).toBe('[object Object]');
    expect(calls.map((c) => c.command)).toEqual(['draw', 'to-string']);
  });
});
