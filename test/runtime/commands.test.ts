/**
 * runCommand and CommandRunner over a recording transport: validation
 * before sending, the no-reply and out-of-band flags from the command's
 * descriptor, and isQmpError.
 */
import { describe, expect, it } from 'vitest';
import {
  CommandRunner,
  isQmpError,
  QapiValidationError,
  QmpError,
  runCommand,
  TypeRegistry,
  type CommandInfo,
  type ExecuteOptions,
  type QmpTransport,
} from '../../runtime/index.js';

interface Commands {
  greet: { args: { name: string }; returns: string; oob: false };
  poke: { args: undefined; returns: void; oob: true };
  fire: { args: undefined; returns: void; oob: false };
}

const greet: CommandInfo = { name: 'greet', args: { kind: 'object', members: [['name', 'str']] }, returns: 'str', oob: false, noReply: false, errors: [] };
const registry = new TypeRegistry<unknown, Commands>(
  [],
  [
    [
      greet,
      { name: 'poke', args: null, returns: null, oob: true, noReply: false, errors: [] },
      { name: 'fire', args: null, returns: null, oob: false, noReply: true, errors: [] },
    ],
  ],
);

function recorder(reply: unknown): { transport: QmpTransport; sent: [string, unknown, ExecuteOptions | undefined][] } {
  const sent: [string, unknown, ExecuteOptions | undefined][] = [];
  return {
    sent,
    transport: {
      execute(command, args, options) {
        sent.push([command, args, options]);
        return Promise.resolve(reply);
      },
    },
  };
}

describe('CommandRunner', () => {
  it('sends valid arguments and returns the reply', async () => {
    const { transport, sent } = recorder('hello');
    const runner = new CommandRunner(transport, registry);
    await expect(runner.execute('greet', { name: 'x' })).resolves.toBe('hello');
    expect(sent).toEqual([['greet', { name: 'x' }, { noReply: false }]]);
  });

  it('sends nothing when arguments are invalid, unless unchecked', async () => {
    const { transport, sent } = recorder('hello');
    const runner = new CommandRunner(transport, registry);
    const bad = { name: 1 } as unknown as { name: string };
    await expect(runner.execute('greet', bad)).rejects.toBeInstanceOf(QapiValidationError);
    expect(sent).toEqual([]);
    await runner.execute('greet', bad, { unchecked: true });
    expect(sent).toHaveLength(1);
  });

  it('takes oob and no-reply from the table; commands without returns resolve undefined', async () => {
    const { transport, sent } = recorder({});
    const runner = new CommandRunner(transport, registry);
    await expect(runner.execute('poke', undefined, { oob: true })).resolves.toBeUndefined();
    await runner.execute('fire');
    expect(sent.map(([, , o]) => o)).toEqual([{ noReply: false, oob: true }, { noReply: true }]);
    const notOob = runner.execute('fire', undefined, { oob: true } as never);
    await expect(notOob).rejects.toThrow('fire: options.oob: the command does not allow out-of-band execution');
  });
});

describe('runCommand', () => {
  it("runs a command by its descriptor alone, validating first, handing it over before any await", async () => {
    const { transport, sent } = recorder('hi');
    const running = runCommand(transport, greet, { name: 'x' });
    expect(sent).toEqual([['greet', { name: 'x' }, { noReply: false }]]);
    await expect(running).resolves.toBe('hi');
    await expect(runCommand(transport, greet, { name: 2 })).rejects.toThrow('greet: arguments.name: expected a string, got 2');
    expect(sent).toHaveLength(1);
  });
});

describe('isQmpError', () => {
  it('recognizes error replies, also from another copy of the runtime', () => {
    const reply = new QmpError('greet', 'GenericError', 'no');
    expect(isQmpError(reply)).toBe(true);
    expect(isQmpError(reply, 'greet')).toBe(true);
    expect(isQmpError(reply, 'other')).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: 'QmpError', errorClass: 'GenericError', command: 'greet' });
    expect(isQmpError(foreign, 'greet')).toBe(true);
    expect(isQmpError(new Error('x'))).toBe(false);
  });
});
