/**
 * From statements to file contents, through a cache of formatted modules.
 *
 * Printing and formatting are the slow part of generation (prettier does
 * about 0.3 MB/s, and ts-morph takes most of a second to load), so each
 * file's formatted text is cached under the hash of its statements and of
 * everything else that shapes the text (printer options, tool versions).
 * On a hit neither ts-morph nor prettier is loaded.  Misses are formatted
 * in worker threads when there are many of them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FileSyntax } from '../syntax/statements.js';
import type { GeneratedFile } from './generated-file.js';

/** Bump when the printer changes its output for the same statements. */
const PRINTER_REVISION = '2';

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '?';
      } catch {
        // not this directory
      }
    }
  } catch {
    // unresolvable: the key still works, only less precise
  }
  return '?';
}

export class FormatCache {
  private readonly salt: string;

  constructor(readonly dir: string) {
    this.salt = [PRINTER_REVISION, packageVersion('prettier'), packageVersion('ts-morph')].join('/');
  }

  key(file: FileSyntax): string {
    return createHash('sha256').update(this.salt).update('\0').update(JSON.stringify(file.statements)).digest('hex');
  }

  get(key: string): string | undefined {
    try {
      return readFileSync(join(this.dir, `${key}.ts`), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Written to a temporary name and renamed, so that concurrent runs
   *  never read half a file. */
  set(key: string, text: string): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      writeFileSync(tmp, text);
      renameSync(tmp, join(this.dir, `${key}.ts`));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}

export interface RenderOptions {
  readonly cache: FormatCache | null;
  readonly header: (file: FileSyntax) => string;
  /** Format misses in worker threads when their total size warrants it. */
  readonly workers?: boolean;
}

export async function renderFiles(files: readonly FileSyntax[], options: RenderOptions): Promise<GeneratedFile[]> {
  const texts = new Map<FileSyntax, string>();
  const misses: { file: FileSyntax; key: string }[] = [];
  for (const file of files) {
    const key = options.cache?.key(file) ?? '';
    const hit = options.cache?.get(key);
    if (hit !== undefined) texts.set(file, hit);
    else misses.push({ file, key });
  }
  if (misses.length > 0) {
    const { formatAll } = await import('./format-pool.js');
    const formatted = await formatAll(
      misses.map((m) => m.file),
      options.workers ?? true,
    );
    misses.forEach((m, i) => {
      const text = formatted[i] ?? '';
      texts.set(m.file, text);
      options.cache?.set(m.key, text);
    });
  }
  return files.map((file) => ({ path: file.path, content: `${options.header(file)}\n${texts.get(file) ?? ''}` }));
}
