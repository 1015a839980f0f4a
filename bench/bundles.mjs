// Bundles of small programs using generated bindings, made with esbuild
// (minified, for Node, ES modules), to measure what tree-shaking keeps.
// Beside the whole schema's bindings (`gen`) sits a `--only` build of
// them (`only`, JOB_ONLY: block-commit and the events runBlockJob follows
// a job by).  The programs:
//   client         the QMP client alone
//   one            block-commit's function
//   standard       block-commit's function, its arguments checked first by
//                  their Standard Schema validator (blockCommitArguments)
//   all            every command's function
//   class          the command class
//   job            the client and runBlockJob, no bindings: what the
//                  registry programs build on
//   registry       block-commit's function, runBlockJob, the registry
//   only-registry  the same over the `--only` build
//   readme         README's example: the class, the registry (checkSchema
//                  on), runBlockJob
//   only-readme    the same over the `--only` build
// Used by `npm run bench` and test/emit/tree-shaking.qemu.test.ts (the test
// also runs `only-registry` against QEMU).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK_JOB_EVENTS } from 'qapi-ts-runtime';

export const CONSUMERS = ['client', 'one', 'standard', 'all', 'class', 'job', 'registry', 'only-registry', 'readme', 'only-readme'];

/** What the `--only` build keeps: block-commit and the events runBlockJob follows. */
export const JOB_ONLY = ['block-commit', ...BLOCK_JOB_EVENTS];

/** The command functions bindings in `dir` export, from their declarations. */
export function commandFunctions(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.d.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^export declare function (\w+)\(\s*qmp: QmpTransport/gm)].map((m) => m[1]))
    .sort();
}

/**
 * A program that commits with runBlockJob, connected with `connectOptions`
 * and starting the job with `start` (after `setup`); it prints the
 * completion event, 64-bit integers marked with their JavaScript type.
 */
function jobProgram(imports, connectOptions, start, setup = []) {
  return [
    "import { QmpClient, runBlockJob } from 'qapi-ts-runtime';",
    ...imports,
    `const client = await QmpClient.connect({ path: process.argv[2] }${connectOptions});`,
    ...setup,
    `const done = await runBlockJob(client, () => ${start});`,
    "console.log(JSON.stringify(done, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));",
    'await client.close();',
    '',
  ].join('\n');
}

/** Writes the programs beside `bindings` and `only` (folders of `dir`). */
export function writeConsumers(dir, bindings = 'gen', only = 'only') {
  const connect = "import { QmpClient } from 'qapi-ts-runtime';\nconst client = await QmpClient.connect({ path: process.argv[2] });\n";
  const all = commandFunctions(join(dir, bindings));
  // The job's arguments come from the command line, so the test can run it.
  const commit = "{ 'job-id': process.argv[3], device: process.argv[4] }";
  const functionJob = (from) =>
    jobProgram([`import { blockCommit, registry } from './${from}/index.js';`], ', { bindings: registry }', `blockCommit(client, ${commit})`);
  const readme = (from) =>
    jobProgram(
      [`import { QmpCommands, registry } from './${from}/index.js';`],
      ', { bindings: registry, checkSchema: true }',
      `qmp.blockCommit(${commit})`,
      ['const qmp = new QmpCommands(client);'],
    );
  const programs = {
    client: `${connect}console.log(await client.execute('block-commit', { device: 'drive0', top: 'top.qcow2' }));\n`,
    one: `${connect}import { blockCommit } from './${bindings}/index.js';\nawait blockCommit(client, { device: 'drive0', top: 'top.qcow2' });\n`,
    standard:
      `${connect}import { blockCommit, blockCommitArguments } from './${bindings}/index.js';\n` +
      "const checked = blockCommitArguments['~standard'].validate({ device: 'drive0', top: 'top.qcow2' });\n" +
      'if (checked.issues) throw new Error(checked.issues[0].message);\nawait blockCommit(client, checked.value);\n',
    all: `${connect}import { ${all.join(', ')} } from './${bindings}/index.js';\nfor (const run of [${all.join(', ')}]) await run(client).catch(() => {});\n`,
    class: `${connect}import { QmpCommands } from './${bindings}/index.js';\nawait new QmpCommands(client).blockCommit({ device: 'drive0', top: 'top.qcow2' });\n`,
    job: jobProgram([], '', `client.execute('block-commit', ${commit})`),
    registry: functionJob(bindings),
    'only-registry': functionJob(only),
    readme: readme(bindings),
    'only-readme': readme(only),
  };
  for (const [name, text] of Object.entries(programs)) writeFileSync(join(dir, `${name}.js`), text);
}

/** The minified bundle of a program: its size in bytes, and its text. */
export async function bundle(entry) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, write: false, platform: 'node', format: 'esm', logLevel: 'silent' });
  const text = result.outputFiles[0].text;
  return { size: Buffer.byteLength(text), text };
}
