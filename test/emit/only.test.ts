/**
 * `--only block-commit,query-block-jobs,BLOCK_JOB_COMPLETED` on QEMU 7.2's
 * schema: the output holds those two commands and that event, and exactly
 * the named types they reach (worked out here from the model, apart from
 * the generator's own filter), plus the error class enum; the rest is not
 * emitted.
 * (test/emit/typecheck.compiler.test.ts compiles the same subset.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import type { QapiType } from '../../generator/model/types.js';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', '--only on QEMU 7.2');
const ONLY = ['block-commit', 'query-block-jobs', 'BLOCK_JOB_COMPLETED'];

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-only-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The named types a set of types reaches, members, branches, bases and
 *  array elements followed. */
function reached(roots: readonly (QapiType | null)[]): Set<string> {
  const seen = new Set<QapiType>();
  const visit = (t: QapiType | null): void => {
    if (t === null || seen.has(t)) return;
    seen.add(t);
    if (t.kind === 'array') visit(t.elementType);
    if (t.kind === 'alternate') for (const v of t.variants.variants) visit(v.type);
    if (t.kind === 'object') {
      visit(t.base);
      for (const m of t.members) visit(m.type);
      for (const v of t.variants?.variants ?? []) visit(v.type);
    }
  };
  roots.forEach(visit);
  return new Set([...seen].filter((t) => t.kind === 'enum' || t.kind === 'alternate' || (t.kind === 'object' && !t.implicit)).map((t) => t.name));
}

describe.skipIf(!Q72.available)('--only on QEMU 7.2', () => {
  it('emits the named commands and event, and only the types they reach', async () => {
    const out = join(work, 'out');
    const r = await runInProcess(['generate', Q72.path, '--qemu-version', '7.2', '--only', ONLY.join(','), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const { model } = loadSchema(Q72.path, { qemuVersion: '7.2' });
    const command = (name: string) => model.entities.find((e) => e.kind === 'command' && e.name === name);
    const event = model.entities.find((e) => e.kind === 'event' && e.name === 'BLOCK_JOB_COMPLETED');
    const roots = [command('block-commit'), command('query-block-jobs'), event].map((e) =>
      e?.kind === 'command' ? [e.argType, e.retType] : e?.kind === 'event' ? [e.argType] : [],
    );
    // QEMU 7.2's error class enum is QapiErrorClass.
    const expected = reached([...roots.flat(), model.lookupType('QapiErrorClass') ?? null]);
    expect(expected.size).toBeGreaterThan(3);

    const registry = readFileSync(join(out, 'registry.d.ts'), 'utf8');
    const typesInterface = /export interface Types \{([^}]*)\}/.exec(registry)?.[1] ?? '';
    const declared = new Set([...typesInterface.matchAll(/^\s+'?([^':]+)'?: /gm)].map((m) => m[1]));
    expect(declared).toEqual(expected);

    const client = readFileSync(join(out, 'client.d.ts'), 'utf8');
    const commands = /export interface Commands \{(.*?)\n\}/s.exec(client)?.[1] ?? '';
    expect([...commands.matchAll(/^ {2}'?([a-z][a-z0-9-]*)'?: \{/gm)].map((m) => m[1])).toEqual(['query-block-jobs', 'block-commit']);
    const events = /export interface EventData \{(.*?)\n\}/s.exec(client)?.[1] ?? '';
    expect([...events.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1])).toEqual(['BLOCK_JOB_COMPLETED']);

    const functions = readdirSync(out)
      .filter((f) => f.endsWith('.d.ts'))
      .flatMap((f) => [...readFileSync(join(out, f), 'utf8').matchAll(/^export declare function (\w+)/gm)].map((m) => m[1]));
    expect(functions.sort()).toEqual(['blockCommit', 'queryBlockJobs']);
  }, 60_000);
});
