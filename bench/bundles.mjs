// Bundles of small programs using generated bindings, made with esbuild
// (minified, for Node, ES modules), to measure what tree-shaking keeps:
// `client` uses the QMP client alone; `one` calls one command's function
// (block-commit); `all` calls every command's function; `class` uses the
// command class.  Used by `npm run bench` and test/emit/tree-shaking.test.ts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONSUMERS = ['client', 'one', 'all', 'class'];

/** The command functions bindings in `dir` export, from their declarations. */
export function commandFunctions(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.d.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^export declare function (\w+)\(\s*qmp: QmpTransport/gm)].map((m) => m[1]))
    .sort();
}

/** Writes the programs beside `bindings` (a folder of `dir`). */
export function writeConsumers(dir, bindings = 'gen') {
  const connect = "import { QmpClient } from 'qapi-ts-runtime';\nconst client = await QmpClient.connect({ path: process.argv[2] });\n";
  const all = commandFunctions(join(dir, bindings));
  const programs = {
    client: `${connect}console.log(await client.execute('block-commit', { device: 'drive0', top: 'top.qcow2' }));\n`,
    one: `${connect}import { blockCommit } from './${bindings}/index.js';\nawait blockCommit(client, { device: 'drive0', top: 'top.qcow2' });\n`,
    all: `${connect}import { ${all.join(', ')} } from './${bindings}/index.js';\nfor (const run of [${all.join(', ')}]) await run(client).catch(() => {});\n`,
    class: `${connect}import { QmpCommands } from './${bindings}/index.js';\nawait new QmpCommands(client).blockCommit({ device: 'drive0', top: 'top.qcow2' });\n`,
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
