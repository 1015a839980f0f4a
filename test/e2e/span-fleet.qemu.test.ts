/**
 * Must show 2 of issue 17: one program, compiled once against bindings
 * that span QEMU 7.2 and 10.0 (test/fixtures/span-program/fleet.ts, built
 * by helpers/span-program.ts), runs against a live QEMU 7.2 and a live
 * QEMU 10.0.2 `qemu-storage-daemon`, each behind a recording proxy:
 *
 * - the commit of a qcow2 chain works on both, and the data agrees;
 * - a call using what only 10.0 has (the `backing-mask-protocol` argument,
 *   the `blockdev-set-active` command) is refused on 7.2 with
 *   QmpUnavailableError naming the command, what is missing, the QEMU and
 *   the releases that have it, and none of it is on the wire; on 10.0.2 it
 *   is sent and works;
 * - `supports()` answers as the release has it, on both;
 * - the replies read on 7.2 type-check against the span's types (as data,
 *   compiled with tsc): no member 7.2's reply lacks is typed as required;
 *   against the 10.0 view of the same types they do not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { imageIsConsistent, requireBinaries, requireQemu10, SYSTEM_QEMU, type QemuInstall } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { runCompiler, TSC7 } from '../helpers/tsc.js';
import { BASE_AFTER_MID_COMMIT, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';
import { chainBlockdevs, E2E_BINARIES, E2eScope } from './helpers/scope.js';
import { buildFleetProgram, PROGRAM_TSCONFIG, removeFleetProgram, runFleetProgram, SPAN_BINDINGS, SPAN_DIR, SPAN_RELEASES } from './helpers/span-program.js';

const qemu72 = requireBinaries(E2E_BINARIES, 'the span end to end against QEMU 7.2');
const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img', 'qemu-io'], 'the span end to end against QEMU 10.0.2');
const schemas = SPAN_RELEASES.every((r) => requireShared(r.schema, 'the span end to end').available);

/** A reply as TypeScript source: 64-bit integers as the bindings read them (bigint). */
function tsLiteral(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${tsLiteral(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

// This run's directory goes whether the tests ran or were skipped.
afterAll(removeFleetProgram);

describe.skipIf(!qemu72.available || !qemu10.available || !schemas)('one program, compiled once against a 7.2 + 10.0 span, on both', () => {
  let scope: E2eScope;
  beforeAll(async () => {
    await buildFleetProgram();
  }, 300_000);
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  /** The chain in `qemu`'s daemon, the program run through a proxy. */
  async function runOn(qemu: QemuInstall): Promise<{ report: Record<string, unknown>; proxy: RecordingProxy; chain: ReturnType<typeof buildChain> }> {
    const chain = buildChain(scope.dir, { qemu });
    const daemon = await scope.daemon(qemu, chainBlockdevs(chain));
    const proxy = scope.adopt(await startRecordingProxy(scope.dir, daemon.socketPath));
    const report = await runFleetProgram(proxy.path);
    expect(await daemon.exited).toBe(0);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT, qemu)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW, qemu)).toEqual([]);
    expect(imageIsConsistent(chain.base, qemu)).toBe(true);
    return { report, proxy, chain };
  }

  it('QEMU 7.2: the commit works; what only 10.0 has is refused unsent, naming what and where', async () => {
    const { report, proxy } = await runOn(SYSTEM_QEMU);
    expect(report['release']).toBe('7.2');
    expect(report['fit']).toBe('exact');
    expect(report['supports']).toEqual({
      'block-commit': true,
      'block-commit backing-mask-protocol': false,
      'blockdev-set-active': false,
      'block-commit on-error stop': true,
    });
    expect(report['active']).toEqual(['absent', 'absent', 'absent', 'absent', 'absent', 'absent']);
    expect(report['exactly 10.0']).toBeUndefined();
    const refused = report['commit with backing-mask-protocol'] as Record<string, unknown>;
    expect(refused).toMatchObject({
      error: 'QmpUnavailableError',
      command: 'block-commit',
      release: '7.2',
      missing: [{ path: 'arguments["backing-mask-protocol"]', what: 'member', name: 'backing-mask-protocol', releases: ['10.0'] }],
    });
    expect(refused['qemu']).toMatch(/^QEMU 7\.2\.\d+/);
    expect(report['commit']).toEqual({ event: 'BLOCK_JOB_COMPLETED', error: null });
    expect(report['blockdev-set-active']).toMatchObject({
      error: 'QmpUnavailableError',
      command: 'blockdev-set-active',
      missing: [{ path: '', what: 'command', name: 'blockdev-set-active', releases: ['10.0'] }],
    });
    // On the wire: neither what 7.2 lacks nor the command it lacks.
    const sent = proxy.sentMessages();
    expect(sent.map((m) => m['execute'])).not.toContain('blockdev-set-active');
    expect(proxy.sent()).not.toContain('backing-mask-protocol');
    expect(sent.filter((m) => m['execute'] === 'block-commit')).toHaveLength(1);
  });

  it('QEMU 10.0.2: the same program sends what 10.0 has, and it works', async () => {
    const { report, proxy } = await runOn(qemu10);
    expect(report['release']).toBe('10.0');
    expect(report['supports']).toEqual({
      'block-commit': true,
      'block-commit backing-mask-protocol': true,
      'blockdev-set-active': true,
      'block-commit on-error stop': true,
    });
    expect(report['active']).toEqual([true, true, true, true, true, true]);
    expect(report['exactly 10.0']).toEqual([true, true, true, true, true, true]);
    expect(report['commit with backing-mask-protocol']).toEqual({ event: 'BLOCK_JOB_COMPLETED', error: null });
    expect(report['commit']).toBeUndefined();
    expect(report['blockdev-set-active']).toBe('ok');
    const commit = proxy.sentMessages().find((m) => m['execute'] === 'block-commit');
    expect(commit?.['arguments']).toMatchObject({ 'backing-mask-protocol': true });
    expect(proxy.sentMessages().map((m) => m['execute'])).toContain('blockdev-set-active');
  });

  it("7.2's replies type-check against the span's types, and not against 10.0's exact view", async () => {
    const chain = buildChain(scope.dir);
    const daemon = await scope.daemon(SYSTEM_QEMU, chainBlockdevs(chain));
    const bindings = (await import(join(SPAN_BINDINGS, 'index.js'))) as { registry: import('qapi-ts-runtime').TypeRegistry };
    const client = await scope.connect(daemon.socketPath, bindings.registry);
    // Read as the bindings read them (64-bit integers as bigint).
    const replies = {
      'query-named-block-nodes': await client.execute('query-named-block-nodes', { flat: true }),
      'query-block-jobs': await client.execute('query-block-jobs'),
      'query-version': await client.execute('query-version'),
    };
    const dir = join(SPAN_DIR, 'replies');
    mkdirSync(dir, { recursive: true });
    const file = (view: string): string => {
      const lines = Object.entries(replies).map(([command, value]) => {
        const info = bindings.registry.command(command)!;
        bindings.registry.read(info.returns!, value, 'return', command);
        return `export const ${command.replace(/-/g, '_')}: ReturnOf<'${command}'${view}> = ${tsLiteral(value)};`;
      });
      return `import type { ReturnOf } from '../bindings/index.js';\n${lines.join('\n')}\n`;
    };
    writeFileSync(join(dir, 'span.ts'), file(''));
    writeFileSync(join(dir, 'exact-72.ts'), file(", '7.2'"));
    writeFileSync(join(dir, 'exact-100.ts'), file(", '10.0'"));
    // One program for the three (each run parses the span's bindings):
    // every error must be exact-100.ts's.
    const config = join(dir, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({ ...PROGRAM_TSCONFIG, compilerOptions: { ...PROGRAM_TSCONFIG.compilerOptions, noEmit: true }, files: ['span.ts', 'exact-72.ts', 'exact-100.ts'] }));
    const checked = await runCompiler(TSC7, ['-p', config]);
    const errors = checked.output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.length, checked.output).toBeGreaterThan(0);
    expect(errors.filter((line) => !/(^|\/)exact-100\.ts\(/.test(line)), checked.output).toEqual([]);
    // 10.0's exact types require what 7.2's reply lacks.
    expect(checked.code).not.toBe(0);
    expect(checked.output).toMatch(/'active' is missing/);
  }, 300_000);
});
