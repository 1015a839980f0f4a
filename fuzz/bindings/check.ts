/**
 * Whether the bindings of a hostile schema work: generated in both targets
 * (`ts`, and `js+dts`), each with a program calling every command through
 * its function and its method, type-checked as a strict project would
 * (one TypeScript program for any number of schemas, declaration files
 * checked too), then run: every call must reach a recording transport with
 * its command's wire name and its arguments unchanged.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { Plan } from '../../generator/emit/naming/plan.js';
import { loadSchema } from '../../generator/frontend.js';
import type { SchemaModel } from '../../generator/model/types.js';
import { Filter } from '../../generator/select/filter.js';
import { completeSettings } from '../../generator/settings/table.js';
import { formatDiagnostic, SchemaError } from '../../generator/source/diagnostics.js';
import type { Call, HostileSchema } from './schema.js';

export const TARGETS = ['ts', 'js+dts'] as const;
export type Target = (typeof TARGETS)[number];

/** What went wrong with one schema's bindings: nothing, or the first problems. */
export type BindingsVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'front-end' | 'generate' | 'types' | 'call'; readonly detail: string };

/** How a call is written in the generated program, and found at run time. */
interface Planned {
  readonly call: Call;
  readonly fn: string;
  readonly method: string;
}

/** One schema's bindings written out, to be type-checked and run. */
export interface Written {
  readonly schema: HostileSchema;
  readonly dir: string;
  /** The files to type-check (both targets' programs). */
  readonly roots: readonly string[];
  readonly planned: readonly Planned[];
  /** Set when the schema went no further than this. */
  readonly failed?: BindingsVerdict;
}

function programText(planned: readonly Planned[]): string {
  const lines = [
    "import type { QmpTransport } from 'qapi-ts-runtime';",
    "import * as b from './index.js';",
    '',
    '/** Every command through its function, then its method. */',
    'export async function callAll(t: QmpTransport): Promise<void> {',
    '  const q = new b.QmpCommands(t);',
  ];
  for (const { call, fn, method } of planned) {
    const args = call.args === undefined ? [] : [JSON.stringify(call.args)];
    const options = call.oob ? ['{ oob: true }'] : [];
    lines.push(`  await b.${fn}(${['t', ...args, ...options].join(', ')});`);
    lines.push(`  await q.${method}(${[...args, ...options].join(', ')});`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

function plan(model: SchemaModel, schema: HostileSchema): Planned[] {
  const settings = completeSettings();
  const p = new Plan(model, new Filter(model, settings), settings);
  const commands = new Map(p.commands().map((c) => [c.name, c]));
  return schema.calls.map((call) => {
    const cmd = commands.get(call.command);
    if (!cmd) throw new Error(`hostile schema: no command '${call.command}' in the model`);
    return { call, fn: p.functionOf(cmd), method: p.methodOf(cmd) };
  });
}

function write(dir: string, files: Iterable<readonly [string, string]>): void {
  for (const [name, text] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Writes the schema, its bindings in both targets and the programs using
 *  them into `dir` (inside the project, so that `qapi-ts-runtime` resolves). */
export function writeBindings(schema: HostileSchema, dir: string): Written {
  write(join(dir, 'schema'), schema.files);
  let model: SchemaModel;
  try {
    model = loadSchema(join(dir, 'schema', schema.root), { qemuVersion: schema.qemuVersion }).model;
  } catch (e) {
    const detail = e instanceof SchemaError ? e.diagnostics.map((d) => formatDiagnostic(d)).join('\n') : String(e);
    return { schema, dir, roots: [], planned: [], failed: { ok: false, kind: 'front-end', detail } };
  }
  let planned: Planned[];
  const roots: string[] = [];
  try {
    planned = plan(model, schema);
    for (const target of TARGETS) {
      const out = join(dir, target === 'ts' ? 'ts' : 'js');
      write(out, generateFromModel(model, schema.root, { target }).map((f) => [f.path, f.content] as const));
      write(out, [['use.ts', programText(planned)]]);
      roots.push(join(out, 'use.ts'));
    }
  } catch (e) {
    return { schema, dir, roots: [], planned: [], failed: { ok: false, kind: 'generate', detail: (e as Error).stack ?? String(e) } };
  }
  return { schema, dir, roots, planned };
}

const STRICT: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: [],
  // The generated declaration files are checked too; TypeScript's own
  // lib files are not ours to check.
  skipLibCheck: false,
  skipDefaultLibCheck: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  // Each file means what it means alone: so it is transpiled alone to run.
  isolatedModules: true,
};

/** Type-checks every written schema's programs in one TypeScript program;
 *  returns the diagnostics of each schema's files, by schema. */
export function typecheckAll(written: readonly Written[]): Map<Written, string[]> {
  const program = ts.createProgram(
    written.flatMap((w) => w.roots),
    STRICT,
  );
  const found = new Map<Written, string[]>(written.map((w) => [w, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName;
    const owner = file === undefined ? undefined : written.find((w) => !relative(w.dir, file).startsWith('..'));
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const where = d.file && d.start !== undefined ? `${relative(owner?.dir ?? '.', d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    // A diagnostic outside every schema's files (the runtime's) is every schema's.
    for (const w of owner ? [owner] : written) found.get(w)!.push(`${where}: TS${d.code}: ${text}`);
  }
  return found;
}

/**
 * The `ts` target's files as JavaScript (types stripped), beside them in
 * `ts-js/`: each file alone, as the type-check's isolatedModules says it
 * may be (no program: its files are parsed and bound once, by typecheckAll).
 */
function transpileTs(w: Written): string {
  const from = join(w.dir, 'ts');
  const to = join(w.dir, 'ts-js');
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const out = join(to, relative(from, path)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, transpile(readFileSync(path, 'utf8')));
  }
  return to;
}

/** One file's JavaScript, its types stripped. */
const transpile = (source: string): string =>
  ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;

interface Sent {
  readonly command: string;
  readonly args: unknown;
  readonly options: { readonly noReply?: boolean; readonly oob?: boolean } | undefined;
}

const sameArgs = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The `js+dts` target's program as JavaScript, beside its bindings. */
function transpileProgram(w: Written): string {
  const dir = join(w.dir, 'js');
  const source = readFileSync(join(dir, 'use.ts'), 'utf8');
  writeFileSync(join(dir, 'use.js'), transpile(source));
  return dir;
}

/** Runs each target's program against a recording transport. */
export async function runCalls(w: Written): Promise<string[]> {
  const problems: string[] = [];
  for (const [target, dir] of [
    ['ts', transpileTs(w)],
    ['js+dts', transpileProgram(w)],
  ] as const) {
    const sent: Sent[] = [];
    const transport = {
      execute(command: string, args?: Record<string, unknown>, options?: Sent['options']): Promise<unknown> {
        sent.push({ command, args: args === undefined ? undefined : structuredClone(args), options });
        return Promise.resolve(options?.noReply ? undefined : {});
      },
    };
    try {
      const program = (await import(pathToFileURL(join(dir, 'use.js')).href)) as { callAll(t: typeof transport): Promise<void> };
      await program.callAll(transport);
    } catch (e) {
      problems.push(`${target}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`);
      continue;
    }
    const expected = w.planned.flatMap(({ call }) => [call, call]);
    if (sent.length !== expected.length) problems.push(`${target}: ${sent.length} commands sent, ${expected.length} expected`);
    expected.forEach((call, i) => {
      const got = sent[i];
      if (!got) return;
      const wrong: string[] = [];
      if (got.command !== call.command) wrong.push(`sent '${got.command}'`);
      if (!sameArgs(got.args, call.args)) wrong.push(`arguments ${JSON.stringify(got.args)}, not ${JSON.stringify(call.args)}`);
      if ((got.options?.noReply ?? false) !== call.noReply) wrong.push(`noReply ${String(got.options?.noReply)}`);
      if ((got.options?.oob ?? false) !== call.oob) wrong.push(`oob ${String(got.options?.oob)}`);
      if (wrong.length > 0) problems.push(`${target}: call ${i} (${call.command}, ${i % 2 === 0 ? 'function' : 'method'}): ${wrong.join('; ')}`);
    });
  }
  return problems;
}

/** The verdict on schemas written by writeBindings: type-checked together, then each run. */
export async function judgeBindings(written: readonly Written[]): Promise<Map<Written, BindingsVerdict>> {
  const verdicts = new Map<Written, BindingsVerdict>();
  const ready = written.filter((w) => w.failed === undefined);
  for (const w of written) if (w.failed) verdicts.set(w, w.failed);
  const diagnostics = ready.length > 0 ? typecheckAll(ready) : new Map<Written, string[]>();
  for (const w of ready) {
    const types = diagnostics.get(w) ?? [];
    if (types.length > 0) {
      verdicts.set(w, { ok: false, kind: 'types', detail: types.slice(0, 10).join('\n') });
      continue;
    }
    const calls = await runCalls(w);
    verdicts.set(w, calls.length > 0 ? { ok: false, kind: 'call', detail: calls.slice(0, 10).join('\n') } : { ok: true });
  }
  return verdicts;
}
