/**
 * Issue 18, must show 2: the peer judges calls as QEMU does.  Argument
 * objects made from the schema (test/testing/helpers/fidelity-cases.ts:
 * valid ones, and mutations of six kinds) go, in the same order, to a live
 * QEMU 10.0.2 qemu-storage-daemon (one null-co node `node0`), to the peer
 * through the library, and to the peer through `qapi-ts fake-qemu`; both
 * peers are built from that daemon's own introspection capture (served
 * exactly; QEMU 10.0's source schema lends the integer widths the capture
 * folds away), with the handlers of test/fixtures/fake-qemu/
 * fidelity-state.mjs modelling the daemon's state.  The verdict (success,
 * or the error class) must agree for every object; the description too,
 * where the argument checking is the peer's own (the handlers' texts are
 * QEMU's by construction, so only argument errors count there).  The same
 * goes for raw requests exercising the protocol's own checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQmpJson, QmpClient, QmpError, TypeRegistry } from 'qapi-ts-runtime';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { modelFromIntrospection, parseCapture } from '../../generator/introspect/index.js';
import { makeTempDir, removeTempDir, requireQemu10, startStorageDaemon, type QmpProcess } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { fidelityCases, type FidelityCase, type MutationKind } from '../testing/helpers/fidelity-cases.js';
import { RawConversation, type Message } from '../testing/helpers/raw.js';
import { startServing, type Serving } from '../testing/helpers/serving.js';

const qemu10 = requireQemu10(['qemu-storage-daemon'], "the peer's fidelity to QEMU 10.0.2");
const CAPTURE = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', "the peer's fidelity to QEMU 10.0.2");
const SOURCE = requireShared('qemu-10.0/qapi/qapi-schema.json', "the peer's fidelity to QEMU 10.0.2");
const STATE = join(PROJECT_ROOT, 'test', 'fixtures', 'fake-qemu', 'fidelity-state.mjs');

/** Where the verdicts may differ, and why (none is known). */
const KNOWN_DIFFERENCES: readonly { readonly case: (c: FidelityCase) => boolean; readonly reason: string }[] = [];

interface Outcome {
  readonly verdict: string;
  readonly desc: string;
}

async function outcome(client: QmpClient, c: FidelityCase): Promise<Outcome> {
  try {
    await client.execute(c.command, c.args);
    return { verdict: 'success', desc: '' };
  } catch (e) {
    if (!(e instanceof QmpError)) throw e;
    return { verdict: e.errorClass, desc: e.desc };
  }
}

/** How docs/testing.md names each kind of object in its table. */
const DOCS_ROW: Readonly<Record<MutationKind, string>> = {
  valid: 'valid',
  missing: 'a required member missing',
  unknown: 'an unknown member',
  type: 'a member of the wrong type',
  range: 'an integer out of its range',
  enum: 'an unknown enum value',
  branch: 'a member of another union branch, or the tag switched',
};

/** Whether an error is the argument checking's (the peer's own words), not a handler's. */
const ARGUMENT_ERROR = /^(Parameter '|Invalid parameter type for ')/;

function rate(agree: number, total: number): string {
  return `${agree}/${total} (${((100 * agree) / total).toFixed(1)}%)`;
}

describe.skipIf(!qemu10.available || !CAPTURE.available || !SOURCE.available)("the peer's verdicts against QEMU 10.0.2's", () => {
  let dir: string;
  let daemon: QmpProcess;
  let fake: Serving;
  let library: QmpPeer;
  let bindings: TypeRegistry;
  let capture: { schema: unknown[]; greeting: { QMP: { version: { qemu: { major: number; minor: number; micro: number }; package: string } } } };
  const clients: QmpClient[] = [];

  beforeAll(async () => {
    dir = makeTempDir('qapi-ts-fidelity-');
    const text = readFileSync(CAPTURE.path, 'utf8');
    capture = parseQmpJson(text) as typeof capture;
    const source = loadSchema(SOURCE.path, { qemuVersion: '10.0' }).model;
    const t = buildTables(modelFromIntrospection(parseCapture(text, CAPTURE.path), { namesFrom: { model: source, file: SOURCE.path } }).model);
    bindings = new TypeRegistry([t.types], [t.commands], { events: [t.events] });
    daemon = await startStorageDaemon(dir, ['--blockdev', 'driver=null-co,node-name=node0'], 'qmp.sock', qemu10);
    library = new QmpPeer({ bindings, schema: capture.schema, greeting: { version: capture.greeting.QMP.version } });
    const state = (await import(STATE)) as { default: (peer: QmpPeer) => void };
    state.default(library);
    await library.listen({ path: join(dir, 'library.sock') });
    fake = await startServing(['fake-qemu', SOURCE.path, '--qemu-version', '10.0', '--introspection', CAPTURE.path, '--handlers', STATE, '--listen', join(dir, 'fake.sock')]);
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await library?.close();
    await fake?.stop('SIGKILL');
    daemon?.kill('SIGKILL');
    await daemon?.exited;
    removeTempDir(dir);
  });

  it('agrees on every argument object, through the library and through fake-qemu', async () => {
    const cases = fidelityCases(bindings);
    const connect = async (path: string): Promise<QmpClient> => {
      const c = await QmpClient.connect({ path }, { commandTimeout: 30_000 });
      clients.push(c);
      return c;
    };
    const [qemu, lib, cli] = await Promise.all([connect(daemon.socketPath), connect(join(dir, 'library.sock')), connect(fake.address)]);

    type Row = { c: FidelityCase; qemu: Outcome; lib: Outcome; cli: Outcome };
    const rows: Row[] = [];
    for (const c of cases) rows.push({ c, qemu: await outcome(qemu, c), lib: await outcome(lib, c), cli: await outcome(cli, c) });

    const known = (c: FidelityCase) => KNOWN_DIFFERENCES.find((k) => k.case(c));
    const differing = (side: 'lib' | 'cli') => rows.filter((r) => r.qemu.verdict !== r[side].verdict);
    const unexplained = (side: 'lib' | 'cli') =>
      differing(side)
        .filter((r) => known(r.c) === undefined)
        .map((r) => `${r.c.index} ${r.c.command} [${r.c.kind}] ${r.c.what}: QEMU ${r.qemu.verdict} (${r.qemu.desc}), peer ${r[side].verdict} (${r[side].desc})`);

    // The measurement, as the docs report it.
    const byKind = new Map<MutationKind, Row[]>();
    const byCommand = new Map<string, Row[]>();
    for (const r of rows) {
      byKind.set(r.c.kind, [...(byKind.get(r.c.kind) ?? []), r]);
      byCommand.set(r.c.command, [...(byCommand.get(r.c.command) ?? []), r]);
    }
    const agree = (rs: Row[], side: 'lib' | 'cli') => rs.filter((r) => r.qemu.verdict === r[side].verdict).length;
    const argumentErrors = rows.filter((r) => ARGUMENT_ERROR.test(r.qemu.desc));
    const sameDesc = argumentErrors.filter((r) => r.qemu.desc === r.lib.desc && r.qemu.desc === r.cli.desc);
    const lines = [
      `fidelity to QEMU 10.0.2: ${rows.length} argument objects, ${byCommand.size} commands`,
      `  verdicts, library: ${rate(agree(rows, 'lib'), rows.length)}; fake-qemu: ${rate(agree(rows, 'cli'), rows.length)}`,
      `  descriptions of argument errors, both: ${rate(sameDesc.length, argumentErrors.length)}`,
      ...[...byKind].map(([kind, rs]) => `  ${kind}: ${rate(agree(rs, 'lib'), rs.length)} / ${rate(agree(rs, 'cli'), rs.length)}`),
      ...[...byCommand].map(([command, rs]) => `  ${command}: ${rate(agree(rs, 'lib'), rs.length)} / ${rate(agree(rs, 'cli'), rs.length)}`),
    ];
    console.log(lines.join('\n'));

    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(byCommand.size).toBeGreaterThanOrEqual(20);
    for (const kind of ['valid', 'missing', 'unknown', 'type', 'range', 'enum', 'branch'] as const) expect(byKind.get(kind)?.length ?? 0, kind).toBeGreaterThan(0);
    // Both ways of both verdicts: QEMU takes some objects and refuses others.
    expect(rows.filter((r) => r.qemu.verdict === 'success').length).toBeGreaterThan(20);
    expect(unexplained('lib')).toEqual([]);
    expect(unexplained('cli')).toEqual([]);
    expect(sameDesc.map((r) => r.c.index)).toEqual(argumentErrors.map((r) => r.c.index));

    // docs/testing.md reports these figures.
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'testing.md'), 'utf8').replace(/\s+/g, ' ');
    expect(page).toContain(`${rows.length} argument objects for ${byCommand.size} commands`);
    expect(page).toContain(`| all | ${rows.length} | ${agree(rows, 'lib')}/${rows.length} / ${agree(rows, 'cli')}/${rows.length} |`);
    expect(page).toContain(`(${sameDesc.length} of ${argumentErrors.length})`);
    for (const [kind, rs] of byKind) {
      const percent = (side: 'lib' | 'cli') => `${Math.floor((100 * agree(rs, side)) / rs.length)}%`;
      expect(page).toContain(`| ${DOCS_ROW[kind]} | ${rs.length} | ${percent('lib')} / ${percent('cli')} |`);
    }
    // QEMU's monitor serves one client at a time: the raw exchanges below need it.
    for (const c of clients.splice(0)) await c.close();
  }, 300_000);

  /** Raw input, and why a description may differ from QEMU's (null: it may not). */
  it.each<[string, string, string | null]>([
    ['a command before negotiation', '{"execute":"query-version","id":1}', null],
    ['qmp_capabilities with a capability not offered', '{"execute":"qmp_capabilities","arguments":{"enable":["x"]},"id":1}', null],
    ['arguments that are no object', '{"execute":"qmp_capabilities","arguments":[],"id":[1,{"a":null}]}', null],
    ['exec-oob without the capability', '{"exec-oob":"qmp_capabilities","id":"x"}', null],
    ['no execute', '{"id":{"deep":[true]}}', null],
    ['an unknown member', '{"execute":"qmp_capabilities","extra":1,"id":null}', null],
    ['execute not a string', '{"execute":["qmp_capabilities"],"id":3.5}', null],
    ['no JSON object', '[1, 2, 3]', null],
    ['a JSON syntax error', '{"execute": }', "the JSON parser's own words follow 'JSON parse error, '"],
    ['qmp_capabilities, then again', '{"execute":"qmp_capabilities","id":1}\n{"execute":"qmp_capabilities","id":2}', null],
    ['oob on, exec-oob of a command that does not allow it', '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":1}\n{"exec-oob":"query-version","id":2}', null],
    [
      'oob on, execute and exec-oob both',
      '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":1}\n{"execute":"query-version","exec-oob":"query-version","id":2}',
      "of two clashing members QEMU names them in its hash table's order, the peer in the order written",
    ],
    ['an unknown command after negotiation', '{"execute":"qmp_capabilities","id":1}\n{"execute":"no-such-command","id":2}', null],
  ])('answers raw input as QEMU does: %s', async (_what, input, descMayDiffer) => {
    const lines = input.split('\n');
    const exchange = async (path: string): Promise<Message[]> => {
      const socket = createConnection({ path });
      const talk = new RawConversation(socket);
      await talk.until((m) => m.length >= 1);
      for (const [i, line] of lines.entries()) {
        talk.send(`${line}\n`);
        await talk.replyCount(i + 1);
      }
      socket.destroy();
      return talk.replies();
    };
    // Where the description may differ, the reply is compared without it.
    const comparable = (replies: Message[]): unknown[] =>
      descMayDiffer === null ? replies : replies.map((r) => ('error' in r ? { ...r, error: { class: (r.error as { class: string }).class } } : r));
    const fromQemu = comparable(await exchange(daemon.socketPath));
    expect(comparable(await exchange(join(dir, 'library.sock')))).toEqual(fromQemu);
    expect(comparable(await exchange(fake.address))).toEqual(fromQemu);
  });

  it('fake-qemu stops on SIGTERM, removing its socket', async () => {
    expect(await fake.stop('SIGTERM')).toBe(0);
    expect(existsSync(fake.address)).toBe(false);
  });
});
