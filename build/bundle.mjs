// The CLI as one file (and `check` as one of its own), with V8's code
// caches beside them: a step of `npm run build`, after tsc.
//
// A short CLI run (`check`, `generate` with nothing to do) spent about a
// fifth of its time loading modules: resolving, reading and compiling some
// hundred ES modules and commander's CommonJS.  One bundled CommonJS file
// (esbuild, from dist/generator/cli/program.js) loads in one read, and a
// code cache made by running it (V8's compiled code of every function the
// run called) spares compiling them again.  `check` has a bundle of its
// own (dist/generator/cli/check-program.js), without the other verbs.
// main.js loads a bundle and its cache (generator/cli/bundle.ts); a cache V8 does not accept (another Node, or
// other V8 flags) is ignored, and the CLI compiles as it goes.
//
//   node build/bundle.mjs          bundle, then make the caches
//
// Each cache is made by a child process that loads the bundle as main.js
// does, with the flags of a short run, runs command lines and writes the
// cache: `check`'s bundle runs checks, the whole CLI also runs `generate`
// of the embedded default schema (so that the emitter is in it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// commander loads node:child_process when it loads, for the one thing that
// needs it (running a subcommand's own executable, which qapi-ts never
// asks), and child_process brings net, dgram and the streams: some 9 ms of
// a short run's CPU.  The bundle gets commander with that require made on
// first use; a commander whose text no longer holds the line fails the
// build, not the run.
const CHILD_PROCESS_REQUIRE = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes(CHILD_PROCESS_REQUIRE)) throw new Error(`${path}: no '${CHILD_PROCESS_REQUIRE}' to make lazy`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(CHILD_PROCESS_REQUIRE, lazy), loader: 'js' };
    });
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'dist', 'generator', 'cli');

// The whole CLI (program.js), and `check`'s own (check-program.js): a
// check reads its bundle and cache whole before it starts, and leaving the
// other verbs out halves both (generator/cli/bundle.ts, which names the
// files).
const { bundleFile } = await import(pathToFileURL(join(cliDir, 'bundle.js')).href);
const BUNDLES = { cli: 'program.js', check: 'check-program.js' };

for (const [kind, entry] of Object.entries(BUNDLES)) {
  await build({
    entryPoints: [join(cliDir, entry)],
    outfile: bundleFile(kind),
    bundle: true,
    // The build's settings: qapi-ts-runtime resolved as users get it (the
    // package's dist/), not through tsconfig.json's paths to its sources.
    tsconfig: join(root, 'tsconfig.build.json'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // prettier is the user's (--format), found where they installed it;
    // required, since code run through node:vm imports nothing.
    external: ['prettier'],
    supported: { 'dynamic-import': false },
    // The one use of import.meta (package-root.ts) asks where the module is,
    // to resolve the package's own name from there: the bundle is inside the
    // package too.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyChildProcess],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

// The bundle must be ASCII.  V8 keeps a source with any other character as
// two bytes a character: QEMU 7.2's check then copied 2 MB where 1 MB
// does, some 460 page faults and 1 ms of a 145 ms run (one arrow in a
// comment did it).  esbuild escapes every string, template and regular
// expression (its default charset); only comments keep what they say, so
// a character it left is in a comment, and the build names its line.
// bundle.ts reads the file as Latin-1, which for ASCII is the same text
// made without decoding.
for (const kind of Object.keys(BUNDLES)) {
  const outfile = bundleFile(kind);
  const bundled = await readFile(outfile, 'latin1');
  const at = bundled.search(/[^\x00-\x7f]/);
  if (at !== -1) {
    const lines = bundled.slice(0, at).split('\n');
    const source = lines.findLast((l) => /^\/\/ \S+\.js$/.test(l)) ?? '// (unknown module)';
    throw new Error(
      `${outfile}:${lines.length}: a character outside ASCII, in a comment of ${source.slice(3)} (bundled): ` +
        'spell it in ASCII there (a comment esbuild keeps is one on a class field)',
    );
  }
}

// The entry: main.js and what it imports (the loader above, the process's
// stdio, the V8 flags), as one CommonJS file, the package's bin.  Node
// starts a CommonJS entry without its ES module loader, and reads one file
// instead of five: some 10 ms of a short run's CPU.  program.js stays
// outside, for a build without the bundle (bundle.ts's fallback).
await build({
  entryPoints: [join(cliDir, 'main.js')],
  outfile: join(cliDir, 'main.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['./program.js'],
  // bundle.ts finds the bundle beside itself, by import.meta.url.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
});

// Schemas that run the front end as QEMU's own do: every kind of
// definition, with doc comments in both generations of the language (the
// line-by-line reader of QEMU 7.2 to 8.2, the sectioned one of 9.2 on), so
// that the code a check of QEMU's schema runs is in the cache beside the
// 2012 dialect's (the embedded default schema).  Trained on one
// definition, the cache lacked some 20 KB of the code a check of QEMU
// 7.2's schema compiles.
const trainingSchemas = join(root, 'build', 'code-cache');

const work = mkdtempSync(join(tmpdir(), 'qapi-ts-bundle-'));
try {
  const embedded = join(root, 'schema', 'qapi-ts-default.json');
  const out = join(work, 'out');
  const checks = [
    ['check', embedded, '--legacy'],
    ['check', join(trainingSchemas, 'classic.json'), '--qemu-version', '7.2'],
    ['check', join(trainingSchemas, 'sectioned.json'), '--qemu-version', '10.2'],
  ];
  // The cache of `check`'s bundle, and the whole CLI's
  // (generator/cli/bundle.ts), each with a command line whose V8 flags it
  // is made under.
  const caches = {
    check: [['check'], checks],
    cli: [['generate'], [
      ...checks,
      ['generate', embedded, '--legacy', '-o', out],
      // Again, with the output up to date.
      ['generate', embedded, '--legacy', '-o', out],
    ]],
  };
  for (const [kind, [flagsOf, commandLines]] of Object.entries(caches)) {
    // A process of its own for each, with the V8 flags of the runs that
    // load it set first (V8 accepts a cache only under the flags it was
    // made with).
    const program = `
      import { setFlagsFromString } from 'node:v8';
      const { v8FlagsFor } = await import(${JSON.stringify(pathToFileURL(join(cliDir, 'v8-flags.js')).href)});
      for (const flag of v8FlagsFor(${JSON.stringify(flagsOf)})) setFlagsFromString(flag);
      const { makeCodeCache } = await import(${JSON.stringify(pathToFileURL(join(cliDir, 'bundle.js')).href)});
      await makeCodeCache(${JSON.stringify(kind)}, ${JSON.stringify(commandLines)});
    `;
    rmSync(out, { recursive: true, force: true });
    execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd: work, stdio: 'inherit' });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
