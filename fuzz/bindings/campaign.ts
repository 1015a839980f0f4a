/**
 * The bindings target of the fuzzer: seeded schemas of hostile names
 * (schema.ts), each generated in both targets, type-checked (a batch of
 * schemas in one TypeScript program) and run against a recording
 * transport (check.ts).  A failing schema is kept with its files and what
 * went wrong.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { Rng } from '../random.js';
import { judgeBindings, writeBindings, type BindingsVerdict } from './check.js';
import { randomHostileSchema, type HostileSchema } from './schema.js';

export interface BindingsReport {
  readonly index: number;
  readonly schema: HostileSchema;
  readonly verdict: BindingsVerdict;
  /** Where the failing schema was kept. */
  readonly savedTo?: string;
}

export interface BindingsCampaignOptions {
  readonly seed: number;
  readonly indices: readonly number[];
  /** Schemas type-checked in one program. */
  readonly batch?: number;
  readonly failuresDir?: string;
  readonly onInput?: (report: BindingsReport) => void;
}

function save(failuresDir: string, seed: number, index: number, dir: string, verdict: BindingsVerdict, schema: HostileSchema): string {
  const to = join(failuresDir, `bindings-s${seed}-i${index}`);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(dir, to, { recursive: true });
  const failure = verdict.ok ? 'none' : `${verdict.kind}:\n${verdict.detail}`;
  writeFileSync(
    join(to, 'report.txt'),
    `bindings of a hostile schema, seed ${seed}, input ${index}\nrebuild: npm run fuzz -- --target bindings --seed ${seed} --only ${index}\n${schema.summary}\nfailure: ${failure}\n`,
  );
  return to;
}

export async function runBindingsCampaign(options: BindingsCampaignOptions): Promise<BindingsReport[]> {
  // Inside the project, so that the bindings find qapi-ts-runtime.
  const work = mkdtempSync(join(PROJECT_ROOT, '.fuzz-bindings-'));
  const size = Math.max(1, options.batch ?? 16);
  const reports: BindingsReport[] = [];
  try {
    for (let start = 0; start < options.indices.length; start += size) {
      const batch = options.indices.slice(start, start + size).map((index) => {
        const schema = randomHostileSchema(Rng.forInput(options.seed, index));
        return { index, schema, written: writeBindings(schema, join(work, `input-${index}`)) };
      });
      const verdicts = await judgeBindings(batch.map((b) => b.written));
      for (const { index, schema, written } of batch) {
        const verdict = verdicts.get(written)!;
        const savedTo = !verdict.ok && options.failuresDir ? save(options.failuresDir, options.seed, index, written.dir, verdict, schema) : undefined;
        const report: BindingsReport = { index, schema, verdict, ...(savedTo ? { savedTo } : {}) };
        reports.push(report);
        options.onInput?.(report);
        rmSync(written.dir, { recursive: true, force: true });
      }
    }
    return reports;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
