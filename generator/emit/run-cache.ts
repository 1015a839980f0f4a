/**
 * A whole-run cache, like a build tool's dependency file: it remembers, for
 * one schema and one set of options, which files the front end read (with
 * their hashes) and what generation produced.  When every input still
 * hashes the same and the generator itself is unchanged, the stored output
 * is returned without parsing, checking or emitting anything.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSchema } from '../frontend.js';
import { readSchemaFile } from '../source/files.js';
import { formatDiagnostic } from '../source/diagnostics.js';
import { generateFromModel, type GenerateOptions } from './generate.js';
import { FormatCache } from './render.js';
import type { GeneratedFile } from './structures.js';

interface Manifest {
  readonly inputs: readonly (readonly [path: string, hash: string])[];
  readonly warnings: readonly string[];
  readonly files: readonly (readonly [path: string, hash: string])[];
}

export interface CachedRun {
  readonly files: GeneratedFile[];
  /** Warnings, formatted as the CLI prints them. */
  readonly warnings: readonly string[];
  readonly cached: boolean;
  /** Absolute paths of the schema files the run read (for --watch). */
  readonly inputs: readonly string[];
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Hash of the generator's own code and templates: a new generator never
 *  reuses an old run. */
function generatorFingerprint(): string {
  const hash = createHash('sha256');
  const roots = ['../', '../../templates/', '../../../templates/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|ts|txt|peggy)$/.test(name)) hash.update(path).update(readFileSync(path));
    }
  };
  for (const r of roots) walk(r);
  return hash.digest('hex');
}

export interface CachedGenerateOptions extends GenerateOptions {
  readonly cacheDir: string | null;
}

export async function generateCached(options: CachedGenerateOptions): Promise<CachedRun> {
  const cacheDir = options.cacheDir;
  const run = async (): Promise<CachedRun & { hashes: [string, string][] }> => {
    const inputs: [string, string][] = [];
    const readFile = (path: string): string => {
      const text = readSchemaFile(path);
      inputs.push([resolve(path), sha(text)]);
      return text;
    };
    const { model, warnings } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion, readFile });
    const files = await generateFromModel(model, options.schema, options);
    return {
      files,
      warnings: warnings.map((w) => formatDiagnostic(w)),
      cached: false,
      inputs: inputs.map(([path]) => path),
      hashes: inputs,
    };
  };
  if (cacheDir === null) return run();

  const store = new FormatCache(join(cacheDir, 'runs'));
  const key = sha(
    JSON.stringify([
      generatorFingerprint(),
      resolve(options.schema),
      options.schema,
      options.legacy ?? false,
      options.qemuVersion ?? null,
      options.ifSymbols ?? null,
      options.noUnstable ?? false,
      options.runtime ?? null,
    ]),
  );
  const manifestText = store.get(key);
  if (manifestText !== undefined) {
    const hit = reuse(JSON.parse(manifestText) as Manifest, store);
    if (hit) return hit;
  }
  const result = await run();
  const manifest: Manifest = {
    inputs: result.hashes,
    warnings: result.warnings,
    files: result.files.map((f) => {
      const hash = sha(f.content);
      store.set(hash, f.content);
      return [f.path, hash] as const;
    }),
  };
  store.set(key, JSON.stringify(manifest));
  return result;
}

/** The stored run, if its inputs are unchanged and its files are all there. */
function reuse(manifest: Manifest, store: FormatCache): CachedRun | null {
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
  return { files, warnings: manifest.warnings, cached: true, inputs: manifest.inputs.map(([path]) => path) };
}
