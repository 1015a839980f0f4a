/**
 * A whole-run cache, like a build tool's dependency file: it remembers, for
 * one key (schema and options), which files the run read (with their
 * hashes) and what it produced.  When every input still hashes the same and
 * the generator itself is unchanged, the stored output is returned without
 * running anything.  The run itself is the caller's (generator/generate.ts):
 * this module only stores and checks.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFile } from './generated-file.js';
import { FormatCache } from './render.js';

interface Manifest {
  readonly inputs: readonly (readonly [path: string, hash: string])[];
  readonly warnings: readonly string[];
  readonly files: readonly (readonly [path: string, hash: string])[];
}

/** What one run produced, and what it read. */
export interface RunResult {
  readonly files: readonly GeneratedFile[];
  /** Warnings, formatted as the CLI prints them. */
  readonly warnings: readonly string[];
  /** Absolute paths of the files the run read, each with its hash. */
  readonly inputs: readonly (readonly [path: string, hash: string])[];
}

export interface CachedRun extends RunResult {
  readonly cached: boolean;
}

export const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Hash of the generator's own code, the runtime package's (its tables)
 *  and the templates: a new generator never reuses an old run. */
function generatorFingerprint(): string {
  const hash = createHash('sha256');
  // generator/ and templates/, from the sources or from dist/; the runtime
  // package wherever the generator's dependency on it resolves.
  const roots = ['../../', '../../../templates/', '../../../../templates/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  roots.push(dirname(createRequire(import.meta.url).resolve('qapi-ts-runtime/package.json')));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules') walk(path);
      }
      else if (/\.(js|ts|txt|peggy)$/.test(name)) hash.update(path).update(readFileSync(path));
    }
  };
  for (const r of roots) walk(r);
  return hash.digest('hex');
}

/** The stored result of the run `key` names when its inputs are unchanged;
 *  else runs it and stores the result.  `cacheDir` null: just runs. */
export async function cachedRun(cacheDir: string | null, key: readonly unknown[], run: () => Promise<RunResult>): Promise<CachedRun> {
  if (cacheDir === null) return { ...(await run()), cached: false };
  const store = new FormatCache(join(cacheDir, 'runs'));
  const id = sha(JSON.stringify([generatorFingerprint(), ...key]));
  const manifestText = store.get(id);
  if (manifestText !== undefined) {
    const hit = reuse(manifestText, store);
    if (hit) return hit;
  }
  const result = await run();
  const manifest: Manifest = {
    inputs: result.inputs,
    warnings: result.warnings,
    files: result.files.map((f) => {
      const hash = sha(f.content);
      store.set(hash, f.content);
      return [f.path, hash] as const;
    }),
  };
  store.set(id, JSON.stringify(manifest));
  return { ...result, cached: false };
}

/** The stored run, if its inputs are unchanged and its files are all there
 *  (anything unreadable or malformed is a miss). */
function reuse(manifestText: string, store: FormatCache): CachedRun | null {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    return null;
  }
  for (const [path, hash] of manifest.inputs) {
    try {
      if (sha(readFileSync(path, 'utf8')) !== hash) return null;
    } catch {
      return null;
    }
  }
  const files: GeneratedFile[] = [];
  for (const [path, hash] of manifest.files) {
    const content = store.get(hash);
    if (content === undefined || sha(content) !== hash) return null;
    files.push({ path, content });
  }
  return { files, warnings: manifest.warnings, inputs: manifest.inputs, cached: true };
}
