/**
 * `qapi-ts generate SCHEMA -o DIR`: writes the bindings; with `--check`,
 * writes nothing and fails listing the files that would change.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DEFAULT_CACHE_DIR } from '../emit/generate.js';
import { generateCached } from '../emit/run-cache.js';
import { compareOutput, writeOutput } from '../emit/write.js';
import { CliExit, EXIT, type CliIo } from './io.js';

interface GenerateFlags {
  output: string;
  legacy?: boolean;
  if?: string[];
  unstable: boolean;
  check?: boolean;
  runtime: string;
  cache: boolean;
}

export function registerGenerate(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('generate TypeScript bindings (types, command wrappers, validators, errors, events)')
    .argument('<schema>', 'the root schema file')
    .requiredOption('-o, --output <dir>', 'the directory to write the bindings to')
    .option('--legacy', "accept the 2012 dialect of QEMU 1.3's schema")
    .option('--if <symbol...>', "keep only what these configuration symbols enable (default: keep everything)")
    .option('--no-unstable', "drop what has the 'unstable' feature")
    .option('--check', 'write nothing; exit 1 listing the files that differ from what would be written')
    .option('--runtime <specifier>', 'module the bindings import the QMP runtime from', 'qapi-ts/runtime')
    .option('--no-cache', 'do not cache formatted files in node_modules/.cache/qapi-ts')
    .action(async (schema: string, flags: GenerateFlags) => {
      if (!existsSync(schema)) throw new CliExit(EXIT.usage, `qapi-ts: schema file '${schema}' does not exist`);
      const { files, warnings } = await generateCached({
        schema,
        legacy: flags.legacy,
        ifSymbols: flags.if,
        noUnstable: !flags.unstable,
        runtime: flags.runtime,
        cacheDir: flags.cache ? DEFAULT_CACHE_DIR : null,
      });
      for (const w of warnings) io.stderr(`${w}\n`);
      if (flags.check) {
        const differences = compareOutput(flags.output, files);
        if (differences.length > 0) {
          const list = differences.map((d) => `  ${d.change}: ${d.path}`).join('\n');
          throw new CliExit(EXIT.schema, `qapi-ts: ${flags.output} is out of date:\n${list}\nRun qapi-ts generate to update it.`);
        }
        return;
      }
      const written = writeOutput(flags.output, files);
      io.stdout(`${written.length === 0 ? 'up to date' : `${written.length} file(s) updated`}: ${flags.output}\n`);
    });
}
