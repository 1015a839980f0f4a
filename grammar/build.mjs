// Compiles grammar/qapi.peggy into an ES module beside it (grammar/parser.js)
// and its type declarations (grammar/parser.d.ts), with peggy's own command
// line as it is: `--dts` writes the declarations, `--return-types` names
// what each start rule returns (the syntax tree of generator/parse/ast.ts),
// and `--plugin` adds grammar/text-runs.mjs, which matches each repeated
// character class whose characters nothing sees as one run.
// Both files are copied into dist/grammar/ for the built CLI (not with
// `--no-dist`, which the unit tests' setup passes: they run on the sources).
// Run by `npm run build`; the compiled parser is not committed.
//
// peggy writes into a scratch folder; a file whose content changed replaces
// the old one in one rename, and one that did not is left alone, so a run
// whose grammar is unchanged writes nothing, and a test process reading
// the parser at the time never sees half a file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const peggyCli = join(dirname(require.resolve('peggy/package.json')), 'bin', 'peggy.js');

// The declarations sit in grammar/ and dist/grammar/ alike, so the syntax
// tree's module is one folder up in both.
const ast = "import('../generator/parse/ast.js')";
const returnTypes = JSON.stringify({ Schema: `${ast}.TopItemNode[]`, SchemaPrefix: `${ast}.RecoveredItems` });
const scratch = mkdtempSync(join(tmpdir(), 'qapi-ts-grammar-'));

// Peggy's command line reports a failure on stderr, under a heading of its
// own; the build passes on the lines that say what failed (the plugin's, when
// it is the plugin that refused) and stops, without a stack trace of this
// script.
try {
  execFileSync(
    process.execPath,
    [
      peggyCli,
      '--format', 'es',
      '--allowed-start-rules', 'Schema,SchemaPrefix',
      '--dts',
      '--return-types', returnTypes,
      '--plugin', join(here, 'text-runs.mjs'),
      '-o', join(scratch, 'parser.js'),
      join(here, 'qapi.peggy'),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
  );
} catch (err) {
  const lines = String(err.stderr ?? err.message).split('\n').filter((line) => line.trim() !== '');
  const ours = lines.filter((line) => line.startsWith('grammar/'));
  process.stderr.write(`${(ours.length > 0 ? ours : lines).join('\n')}\n`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}

/** Puts `text` at `path` unless it is there already: a rename, never a partial write. */
function replace(path, text) {
  let old;
  try {
    old = readFileSync(path);
  } catch {
    old = undefined;
  }
  if (old !== undefined && old.equals(text)) return;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

const targets = [here];
if (!process.argv.includes('--no-dist')) targets.push(join(root, 'dist', 'grammar'));
for (const name of ['parser.js', 'parser.d.ts']) {
  const text = readFileSync(join(scratch, name));
  for (const dir of targets) {
    mkdirSync(dir, { recursive: true });
    replace(join(dir, name), text);
  }
}
rmSync(scratch, { recursive: true, force: true });
