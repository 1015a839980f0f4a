/**
 * The generated arguments validators as Standard Schema validators: what
 * `~standard` holds, `validate`'s answers (the value back, or an issue per
 * problem with its path as steps), that they accept and refuse exactly what
 * the command's own function does, that paths read back as written; and
 * one real consumer of Standard Schema, tRPC's server, taking a qapi-ts
 * validator as a procedure's input and sending what it let through.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ArgumentsSchema, QapiValidationError, QmpClient, type CommandInfo, type ObjectDescriptor } from 'qapi-ts-runtime';
import { blockCommit, blockCommitArguments, registry, type BlockCommitArguments } from '../../generated/index.js';
import { child, pathSteps } from '../../runtime/paths.js';
import { runCommand } from '../../runtime/commands.js';
import { startMockServer, type MockServer } from './helpers/mock-qmp-server.js';

/** A command whose arguments have every kind of step: a member whose name
 *  is no identifier, an array, a member of an element. */
const File$: ObjectDescriptor = { kind: 'object', members: [['name', 'str'], ['size', 'uint64', true]] };
const attach: CommandInfo = {
  name: 'attach',
  args: { kind: 'object', members: [['job-id', 'str'], ['files', { kind: 'array', element: () => File$ }], ['speed', 'int64', true]] },
  returns: null,
  oob: false,
  noReply: false,
  errors: [],
};
const attachArguments = new ArgumentsSchema<unknown>(attach, 'bigint');

describe('~standard', () => {
  it('is version 1 of the interface, by qapi-ts, and the same object each time', () => {
    const props = blockCommitArguments['~standard'];
    expect(props).toMatchObject({ version: 1, vendor: 'qapi-ts' });
    expect(typeof props.validate).toBe('function');
    expect(blockCommitArguments['~standard']).toBe(props);
  });
});

describe.each([
  { given: 'valid arguments', value: { 'job-id': 'j', files: [{ name: 'a' }, { name: 'b', size: 1n }] }, issues: undefined },
  {
    given: 'a wrong member in an element',
    value: { 'job-id': 'j', files: [{ name: 'a' }, { name: 7 }] },
    issues: [{ message: 'expected a string, got 7', path: ['files', 1, 'name'] }],
  },
  {
    given: 'a member missing, whose name is no identifier, and one unknown',
    value: { files: [], extra: true },
    issues: [
      { message: 'missing required member', path: ['job-id'] },
      { message: 'unknown member', path: ['extra'] },
    ],
  },
  {
    given: 'a number where these bindings hold bigints',
    value: { 'job-id': 'j', files: [{ name: 'a', size: 1 }] },
    issues: [{ message: 'expected a bigint (these bindings hold 64-bit integers as bigint), got 1', path: ['files', 0, 'size'] }],
  },
  { given: 'no object at all', value: 42, issues: [{ message: 'expected an object, got 42' }] },
])('validate, given $given', ({ value, issues }) => {
  it('gives the value back, or each problem with its path', () => {
    const result = attachArguments['~standard'].validate(value);
    expect(result).toEqual(issues === undefined ? { value } : { issues });
    if (issues === undefined) expect((result as { value: unknown }).value).toBe(value);
  });

  it('agrees with what the command itself refuses before sending', async () => {
    const sent: unknown[] = [];
    const transport = { execute: async (_name: string, args: unknown) => void sent.push(args) };
    const outcome = await runCommand(transport, attach, value, {}, 'bigint').then(
      () => null,
      (e: unknown) => e,
    );
    if (issues === undefined) {
      expect(outcome).toBeNull();
      expect(sent).toEqual([value]);
    } else {
      expect(outcome).toBeInstanceOf(QapiValidationError);
      expect((outcome as QapiValidationError).problems).toEqual(
        issues.map((i) => ('path' in i ? `${i.path.reduce<string>((at, step) => (typeof step === 'number' ? `${at}[${step}]` : child(at, step)), 'arguments')}: ` : 'arguments: ') + i.message),
      );
      expect(sent).toEqual([]);
    }
  });
});

describe('paths', () => {
  it('read back as child() writes them, for any member name', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat()), { maxLength: 6 }), (steps) => {
        const text = steps.reduce<string>((at, step) => (typeof step === 'number' ? `${at}[${step}]` : child(at, step)), 'arguments');
        expect(pathSteps(text, 'arguments')).toEqual(steps);
      }),
    );
  });

  it('refuse what they did not write', () => {
    expect(() => pathSteps('arguments.', 'arguments')).toThrow("path 'arguments.': no step at offset 9");
    expect(() => pathSteps('value.x', 'arguments')).toThrow("path 'value.x' does not start at 'arguments'");
  });
});

describe('a Standard Schema consumer: a tRPC procedure whose input is a qapi-ts validator', () => {
  let server: MockServer | undefined;
  let client: { close(): Promise<void> } | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  async function commitRouter() {
    server = await startMockServer();
    const qmp = await QmpClient.connect({ path: server.path }, { bindings: registry });
    client = qmp;
    const t = initTRPC.create();
    const router = t.router({
      commit: t.procedure.input(blockCommitArguments).mutation(async ({ input }) => {
        await blockCommit(qmp, input);
        return input.device;
      }),
    });
    return t.createCallerFactory(router)({});
  }

  it('types the procedure by the arguments, and sends what the validator let through', async () => {
    const caller = await commitRouter();
    expectTypeOf(caller.commit).parameter(0).toEqualTypeOf<BlockCommitArguments>();
    expect(await caller.commit({ device: 'drive0', top: 'mid.qcow2', speed: 1024n })).toBe('drive0');
    expect(server!.received.filter((c) => c.name === 'block-commit').map((c) => c.arguments)).toEqual([{ device: 'drive0', top: 'mid.qcow2', speed: 1024 }]);
  });

  it("refuses what the validator refuses with tRPC's BAD_REQUEST, carrying the issues, and sends nothing", async () => {
    const caller = await commitRouter();
    const error = await caller.commit({ device: 'drive0', speed: 'fast' } as unknown as BlockCommitArguments).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).cause).toMatchObject({
      issues: [
        { message: 'missing required member', path: ['top'] },
        { message: 'expected an integer, got "fast"', path: ['speed'] },
      ],
    });
    expect(server!.received.map((c) => c.name)).toEqual(['qmp_capabilities']);
  });
});
